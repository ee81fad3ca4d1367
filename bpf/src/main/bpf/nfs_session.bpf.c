// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nfs-session: retransmitted and timed-out RPCs of the NFS client. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "nfs_rpc.bpf.h"
#include "session.bpf.h"

static __always_inline int nfs_session(__u16 event, const struct rpc_task *task,
				       __u32 aux, int error)
{
	struct session_event s = {
		.aux = aux,
		.error = error,
		.source = AOD_SRC_NFS_RPC,
		.probe = AOD_PROBE_NFS_SESSION,
		.event = event,
	};
	struct aod_issuer current;
	struct nfs_req *req;
	__u32 clid = 0;
	int command;

	command = nfs_command_of(task, &clid);
	if (command < 0)
		return 0;
	s.conn_id = clid;
	s.operation = command;
	s.request_id = nfs_xid_of(task);
	req = nfs_req_note_xid((__u64)task, s.request_id);
	if (req) {
		s.latency_ns = bpf_ktime_get_ns() - req->start_ns;
		s.dev = req->dev;
		return session_emit(&s, &req->who);
	}
	issuer_current(&current);
	return session_emit(&s, &current);
}

/* (const struct rpc_rqst *rqst) */
SEC("tp_btf/xprt_retransmit")
int nfss_retransmit(unsigned long long *ctx)
{
	const struct rpc_rqst *rqst = (void *)ctx[0];

	return nfs_session(AOD_SESSION_RETRANSMIT, BPF_CORE_READ(rqst, rq_task),
			   BPF_CORE_READ(rqst, rq_ntrans), 0);
}

/* (const struct rpc_task *task), on a major timeout */
SEC("tp_btf/rpc_timeout_status")
int nfss_rpc_timeout(unsigned long long *ctx)
{
	const struct rpc_task *task = (void *)ctx[0];

	return nfs_session(AOD_SESSION_RPC_TIMEOUT, task,
			   BPF_CORE_READ(task, tk_timeouts) + 1,
			   BPF_CORE_READ(task, tk_status));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
