/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * NFS RPC latency: an RPC task of the NFS program starts when it is first run
 * (rpc_task_begin, in the issuing task) and ends when it exits
 * (rpc_task_end, often in rpciod). Tasks are keyed by their address; the xid
 * is noted when the task gets its transport slot (xprt_reserve), so that a
 * hung request is reported with it. The
 * command is the procedure's statistics index: NFSv4 procedures as
 * themselves, NFSv3 procedure p as NFS_V3_BASE + p.
 */
#ifndef __NFS_RPC_BPF_H
#define __NFS_RPC_BPF_H

#include "aod_maps.bpf.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#define NFS_INFLIGHT_MAX	16384
#define NFS_CLIENTS_MAX		1024
#define NFS_PROGRAM		100003
#define NFS_V3_BASE		128

struct nfs_req {
	__u64			start_ns;
	struct aod_issuer	who;
	__u32			clid;
	__u32			xid;
	__u16			command;
	__u16			pad;
	__u32			dev;	/* of the mount, when nfs-vfs has noted it */
};

/* struct rpc_task * -> the request; user space scans it for hung ones. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFS_INFLIGHT_MAX);
	__type(key, __u64);
	__type(value, struct nfs_req);
} nfs_inflight SEC(".maps");

/* RPC client id -> s_dev of its mount, noted by the nfs-vfs probe. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, NFS_CLIENTS_MAX);
	__type(key, __u32);
	__type(value, __u32);
} nfs_clnt_dev SEC(".maps");

const struct nfs_req *unused_nfs_req __attribute__((unused));

static __always_inline int nfs_req_start(__u64 task, __u16 command, __u32 clid)
{
	struct nfs_req req = {};
	__u32 *dev;

	if (!gate_open(AOD_SRC_NFS_RPC))
		return 0;
	req.start_ns = bpf_ktime_get_ns();
	req.clid = clid;
	req.command = command;
	dev = bpf_map_lookup_elem(&nfs_clnt_dev, &clid);
	if (dev)
		req.dev = *dev;
	issuer_current(&req.who);
	if (bpf_map_update_elem(&nfs_inflight, &task, &req, BPF_ANY))
		count_drop(AOD_PROBE_NFS_RPC, AOD_DROP_INFLIGHT_FULL);
	return 0;
}

static __always_inline int nfs_req_end(__u64 task, int status, __u32 xid)
{
	struct aod_event *e;
	struct nfs_req *req;
	__u64 now, latency;
	__u32 *dev;

	req = bpf_map_lookup_elem(&nfs_inflight, &task);
	if (!req)
		return 0;
	now = bpf_ktime_get_ns();
	latency = now - req->start_ns;
	if (status >= 0 && !is_slow(AOD_SRC_NFS_RPC, req->command, latency))
		goto out;

	e = event_reserve(AOD_PROBE_NFS_RPC);
	if (!e)
		goto out;
	e->ts_ns = now;
	e->latency_ns = latency;
	e->request_id = xid ? xid : req->xid;
	e->conn_id = req->clid;
	event_set_issuer(e, &req->who);
	e->error = status < 0 ? status : 0;
	e->dev = req->dev;
	if (!e->dev) {
		dev = bpf_map_lookup_elem(&nfs_clnt_dev, &req->clid);
		if (dev)
			e->dev = *dev;
	}
	e->command = req->command;
	e->source = AOD_SRC_NFS_RPC;
	e->kind = status < 0 ? AOD_KIND_ERROR : AOD_KIND_SLOW;
	event_submit(e);
out:
	bpf_map_delete_elem(&nfs_inflight, &task);
	return 0;
}

/* The xid of a request in flight once known (slot reserved, retransmits), for hung reports. */
static __always_inline struct nfs_req *nfs_req_note_xid(__u64 task, __u32 xid)
{
	struct nfs_req *req = bpf_map_lookup_elem(&nfs_inflight, &task);

	if (req && xid)
		req->xid = xid;
	return req;
}

static __always_inline void nfs_note_client(__u32 clid, __u32 dev)
{
	__u32 *known = bpf_map_lookup_elem(&nfs_clnt_dev, &clid);

	if (!known || *known != dev)
		bpf_map_update_elem(&nfs_clnt_dev, &clid, &dev, BPF_ANY);
}

/* The command of an NFS RPC task, -1 for tasks of other RPC programs. */
static __always_inline int nfs_command_of(const struct rpc_task *task,
					  __u32 *clid)
{
	const struct rpc_clnt *clnt = BPF_CORE_READ(task, tk_client);
	__u32 vers, proc;

	if (!clnt || BPF_CORE_READ(clnt, cl_prog) != NFS_PROGRAM)
		return -1;
	if (!BPF_CORE_READ(task, tk_msg.rpc_proc))
		return -1;
	proc = BPF_CORE_READ(task, tk_msg.rpc_proc, p_statidx);
	vers = BPF_CORE_READ(clnt, cl_vers);
	*clid = BPF_CORE_READ(clnt, cl_clid);
	if (vers == 4 && proc < NFS_V3_BASE)
		return proc;
	if (vers == 3 && proc < NFS_V3_BASE)
		return NFS_V3_BASE + proc;
	return -1;
}

static __always_inline __u32 nfs_xid_of(const struct rpc_task *task)
{
	const struct rpc_rqst *rqst = BPF_CORE_READ(task, tk_rqstp);

	return rqst ? bpf_ntohl(BPF_CORE_READ(rqst, rq_xid)) : 0;
}

#endif /* __NFS_RPC_BPF_H */
