// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* smb-session: reconnects, credit stalls and cifs's own slow-response reports. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "smb_wire.bpf.h"
#include "session.bpf.h"

/* The kernel's CONFIG_HZ, set by user space before loading (its .rodata). */
const volatile __u32 hz = 250;

/*
 * Reconnects and credit stalls are traced in the task concerned: the one
 * waiting for credits to send its request, cifsd (or the echo worker) for a
 * reconnect.
 */
static __always_inline int smb_session(__u16 event, __u64 conn_id,
				       __u64 mid, __u32 aux)
{
	struct session_event s = {
		.conn_id = conn_id,
		.request_id = mid,
		.aux = aux,
		.source = AOD_SRC_SMB_WIRE,
		.probe = AOD_PROBE_SMB_SESSION,
		.event = event,
	};
	struct aod_issuer who;

	issuer_current(&who);
	return session_emit(&s, &who);
}

/* (u64 currmid, u64 conn_id, char *hostname) */
SEC("tp_btf/smb3_reconnect")
int smbs_reconnect(unsigned long long *ctx)
{
	return smb_session(AOD_SESSION_RECONNECT, ctx[1], ctx[0], 0);
}

/* (u64 currmid, u64 conn_id, char *hostname, int credits, int credits_to_add, int in_flight) */
SEC("tp_btf/smb3_credit_timeout")
int smbs_credit_timeout(unsigned long long *ctx)
{
	return smb_session(AOD_SESSION_CREDIT_TIMEOUT, ctx[1], ctx[0], (int)ctx[3]);
}

SEC("tp_btf/smb3_insufficient_credits")
int smbs_insufficient_credits(unsigned long long *ctx)
{
	return smb_session(AOD_SESSION_INSUFFICIENT_CREDITS, ctx[1], ctx[0], (int)ctx[3]);
}

/* The issuer of a mid, from its creator task (the task freeing it is often cifsd). */
static __always_inline bool mid_issuer(const struct mid_q_entry *m,
				       struct aod_issuer *who)
{
	const struct task_struct *task;

	if (!bpf_core_field_exists(m->creator))
		return false;
	task = BPF_CORE_READ(m, creator);
	if (!task)
		return false;
	who->tgid = BPF_CORE_READ(task, tgid);
	who->pid = BPF_CORE_READ(task, pid);
	who->cgroup_id = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	BPF_CORE_READ_STR_INTO(&who->comm, task, comm);
	return true;
}

/*
 * (u16 cmd, u64 mid, u32 pid, unsigned long when_sent, unsigned long when_received),
 * in jiffies, from __release_mid when a mid lived longer than cifs's
 * slow_rsp_threshold. A mid freed without a response (its connection failed)
 * has no when_received: it waited until now.
 */
SEC("tp_btf/smb3_slow_rsp")
int smbs_slow_rsp(unsigned long long *ctx)
{
	unsigned long sent = ctx[3], received = ctx[4];
	struct session_event s = {
		.request_id = ctx[1],
		.operation = (__u16)ctx[0],
		.source = AOD_SRC_SMB_WIRE,
		.probe = AOD_PROBE_SMB_SESSION,
		.event = AOD_SESSION_SLOW_RESPONSE,
	};
	const struct mid_q_entry *m = NULL;
	struct aod_issuer who = {};
	__u32 zero = 0;
	__u64 *releasing;

	if (!received)
		received = bpf_jiffies64();
	if (sent && received > sent)
		s.latency_ns = (received - sent) * (1000000000ULL / hz);

	/* the mid being freed, when smb-mid is attached and noted it */
	releasing = bpf_map_lookup_elem(&smb_releasing, &zero);
	if (releasing && *releasing)
		m = (const struct mid_q_entry *)*releasing;
	if (m && BPF_CORE_READ(m, mid) == ctx[1])
		s.conn_id = BPF_CORE_READ(m, server, conn_id);
	else
		m = NULL;

	if (!m || !mid_issuer(m, &who) || who.pid != (__u32)ctx[2]) {
		issuer_current(&who);
		if (who.pid != (__u32)ctx[2]) {
			/* freed by cifsd, not by the issuer: only its pid is known */
			__builtin_memset(&who, 0, sizeof(who));
			who.pid = (__u32)ctx[2];
		}
	}
	return session_emit(&s, &who);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
