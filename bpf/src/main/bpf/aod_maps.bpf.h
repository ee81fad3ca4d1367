/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Maps shared by every AOD probe: one ring buffer, thresholds, drop counters. */
#ifndef __AOD_MAPS_BPF_H
#define __AOD_MAPS_BPF_H

#include "aod_event.h"

#define AOD_RINGBUF_SIZE	(4 * 1024 * 1024)

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

/* Per-CPU drop counters, slot source * AOD_DROP_REASONS + reason. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, AOD_SOURCES * AOD_DROP_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline void count_drop(__u8 source, __u32 reason)
{
	__u32 slot = source * AOD_DROP_REASONS + reason;
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

#endif /* __AOD_MAPS_BPF_H */
