/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Connection trouble (SMB reconnects and credit stalls, NFS retransmits and
 * timeouts): rare, so every occurrence crosses to user space.
 */
#ifndef __SESSION_BPF_H
#define __SESSION_BPF_H

#include "aod_maps.bpf.h"

struct session_event {
	__u64			conn_id;
	__u64			request_id;
	__u64			latency_ns;
	__u32			operation;
	__u32			aux;
	__u32			dev;
	int			error;
	__u8			source;
	__u8			probe;
	__u16			event;
};

static __always_inline int session_emit(const struct session_event *s,
					const struct aod_issuer *who)
{
	struct aod_event *e = event_reserve(s->probe);

	if (!e)
		return 0;
	e->ts_ns = bpf_ktime_get_ns();
	e->latency_ns = s->latency_ns;
	e->request_id = s->request_id;
	e->conn_id = s->conn_id;
	e->dev = s->dev;
	if (who)
		event_set_issuer(e, who);
	e->status = s->operation;
	e->error = s->error;
	e->aux = s->aux;
	e->command = s->event;
	e->source = s->source;
	e->kind = AOD_KIND_SESSION;
	event_submit(e);
	return 0;
}

#endif /* __SESSION_BPF_H */
