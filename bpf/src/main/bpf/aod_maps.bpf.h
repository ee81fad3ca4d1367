/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Maps shared by every AOD probe: one ring buffer, thresholds, drop counters.
 * They are created once by aod.bpf.o; every probe object declares the same
 * maps and user space makes it reuse the core object's before loading it.
 */
#ifndef __AOD_MAPS_BPF_H
#define __AOD_MAPS_BPF_H

#include "aod_event.h"

#define AOD_RINGBUF_SIZE	(4 * 1024 * 1024)
#define AOD_MAX_ERRNO		4095

/* Keeps struct aod_event in the object's BTF for user space to check. */
const struct aod_event *unused_aod_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, AOD_RINGBUF_SIZE);
} events SEC(".maps");

/*
 * Latency threshold in ns per (source, command): slot source * AOD_CMD_SLOTS
 * + command. AOD_NO_THRESHOLD means the command is not tracked. User space
 * writes every slot of a source before attaching its programs.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AOD_SOURCES * AOD_CMD_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} thresholds SEC(".maps");

/*
 * Whether a source with requests in flight (SMB wire, NFS RPC) records new
 * ones, per source: user space opens its gate only once every program that
 * can end a request is attached. A request that started while one of them was
 * still being attached could end unseen and stay in flight, to be reported
 * hung by mistake.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, AOD_SOURCES);
	__type(key, __u32);
	__type(value, __u32);
} gates SEC(".maps");

/* Per-CPU drop counters, slot probe * AOD_DROP_REASONS + reason. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, AOD_PROBES * AOD_DROP_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Who issued a request: taken in the issuing task, reported at completion. */
struct aod_issuer {
	__u64	cgroup_id;
	__u32	tgid;
	__u32	pid;
	char	comm[AOD_COMM_LEN];
};

static __always_inline void count_drop(__u8 probe, __u32 reason)
{
	__u32 slot = probe * AOD_DROP_REASONS + reason;
	__u64 *count = bpf_map_lookup_elem(&drops, &slot);

	if (count)
		(*count)++;
}

static __always_inline bool is_slow(__u8 source, __u16 command, __u64 latency_ns)
{
	__u32 slot = source * AOD_CMD_SLOTS +
		     (command < AOD_CMD_SLOTS ? command : AOD_CMD_SLOTS - 1);
	__u64 *threshold = bpf_map_lookup_elem(&thresholds, &slot);

	return threshold && latency_ns >= *threshold;
}

static __always_inline bool gate_open(__u8 source)
{
	__u32 slot = source;
	__u32 *open = bpf_map_lookup_elem(&gates, &slot);

	return open && *open;
}

static __always_inline bool is_errno(long rc)
{
	return rc < 0 && rc >= -AOD_MAX_ERRNO;
}

static __always_inline void issuer_current(struct aod_issuer *who)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	who->cgroup_id = bpf_get_current_cgroup_id();
	who->tgid = pid_tgid >> 32;
	who->pid = (__u32)pid_tgid;
	bpf_get_current_comm(who->comm, sizeof(who->comm));
}

/* A zeroed record in the ring buffer, or NULL (counted as a drop of probe). */
static __always_inline struct aod_event *event_reserve(__u8 probe)
{
	struct aod_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_drop(probe, AOD_DROP_RINGBUF_FULL);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	return e;
}

static __always_inline void event_set_issuer(struct aod_event *e,
					     const struct aod_issuer *who)
{
	e->cgroup_id = who->cgroup_id;
	e->tgid = who->tgid;
	e->pid = who->pid;
	__builtin_memcpy(e->comm, who->comm, sizeof(e->comm));
}

static __always_inline void event_submit(struct aod_event *e)
{
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

#endif /* __AOD_MAPS_BPF_H */
