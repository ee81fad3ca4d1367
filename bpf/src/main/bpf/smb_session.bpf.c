// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* smb-session: reconnects, credit stalls and cifs's own slow-response reports. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "session.bpf.h"

/* The kernel's CONFIG_HZ, set by user space before loading (its .rodata). */
const volatile __u32 hz = 250;

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

	return session_emit(&s, NULL);
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

/*
 * (u16 cmd, u64 mid, u32 pid, unsigned long when_sent, unsigned long when_received),
 * from __release_mid when a mid lived longer than cifs's slow_rsp_threshold.
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
	struct aod_issuer who;

	if (sent && received > sent)
		s.latency_ns = (received - sent) * (1000000000ULL / hz);
	issuer_current(&who);
	if (who.pid != (__u32)ctx[2]) {
		/* freed by cifsd, not by the issuer: only its pid is known */
		__builtin_memset(&who, 0, sizeof(who));
		who.pid = (__u32)ctx[2];
	}
	return session_emit(&s, &who);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
