/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SMB wire latency: a request starts when cifs allocates its mid
 * (smb3_cmd_enter, in the issuing task) and ends when its response status is
 * mapped (smb3_cmd_done on success, smb3_cmd_err otherwise). Responses carry
 * an async id where the request had a tree id, so requests are keyed by
 * (session id, mid) only. Who issued the request is taken at the start: the
 * response is often handled by cifsd.
 */
#ifndef __SMB_WIRE_BPF_H
#define __SMB_WIRE_BPF_H

#include "aod_maps.bpf.h"

#define SMB_INFLIGHT_MAX	16384

struct smb_req_key {
	__u64	session_id;
	__u64	mid;
};

struct smb_req {
	__u64	start_ns;
	__u64	cgroup_id;
	__u32	tgid;
	__u32	pid;
	__u32	tree_id;
	__u16	command;
	__u16	pad;
	char	comm[AOD_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SMB_INFLIGHT_MAX);
	__type(key, struct smb_req_key);
	__type(value, struct smb_req);
} smb_inflight SEC(".maps");

static __always_inline int smb_req_start(__u64 session_id, __u64 mid,
					 __u16 command, __u32 tree_id)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct smb_req req = {};

	req.start_ns = bpf_ktime_get_ns();
	req.cgroup_id = bpf_get_current_cgroup_id();
	req.tgid = pid_tgid >> 32;
	req.pid = (__u32)pid_tgid;
	req.tree_id = tree_id;
	req.command = command;
	bpf_get_current_comm(req.comm, sizeof(req.comm));

	if (bpf_map_update_elem(&smb_inflight, &key, &req, BPF_ANY))
		count_drop(AOD_SRC_SMB_WIRE, AOD_DROP_INFLIGHT_FULL);
	return 0;
}

static __always_inline int smb_req_end(__u64 session_id, __u64 mid,
				       __u32 status, int rc, __u8 kind)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	struct aod_event *e;
	struct smb_req *req;
	__u64 now, latency;

	req = bpf_map_lookup_elem(&smb_inflight, &key);
	if (!req)
		return 0;

	now = bpf_ktime_get_ns();
	latency = now - req->start_ns;
	if (kind == AOD_KIND_SLOW &&
	    !is_slow(AOD_SRC_SMB_WIRE, req->command, latency))
		goto out;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		count_drop(AOD_SRC_SMB_WIRE, AOD_DROP_RINGBUF_FULL);
		goto out;
	}
	e->ts_ns = now;
	e->latency_ns = latency;
	e->session_id = session_id;
	e->request_id = mid;
	e->conn_id = 0;
	e->cgroup_id = req->cgroup_id;
	e->tgid = req->tgid;
	e->pid = req->pid;
	e->status = status;
	e->error = rc;
	e->tree_id = req->tree_id;
	e->dev = 0;
	e->aux = 0;
	e->flags = 0;
	e->command = req->command;
	e->source = AOD_SRC_SMB_WIRE;
	e->kind = kind;
	e->reserved = 0;
	e->reserved2 = 0;
	__builtin_memcpy(e->comm, req->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
out:
	bpf_map_delete_elem(&smb_inflight, &key);
	return 0;
}

#endif /* __SMB_WIRE_BPF_H */
