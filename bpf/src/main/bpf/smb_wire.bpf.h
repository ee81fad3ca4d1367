/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * SMB wire latency: a request starts when cifs allocates its mid
 * (smb3_cmd_enter, in the issuing task) and ends when its response status is
 * mapped (smb3_cmd_done on success, smb3_cmd_err otherwise). Responses carry
 * an async id where the request had a tree id, so requests are keyed by
 * (session id, mid) only. Who issued the request is taken at the start: the
 * response is often handled by cifsd.
 *
 * The smb-mid probe (fentry/fexit) adds what the tracepoints lack: the
 * connection id and compound flag from the request header, the async flag from
 * an interim STATUS_PENDING response, and the end of requests whose response
 * status is never mapped (echoes) or that die without a response (reconnect).
 */
#ifndef __SMB_WIRE_BPF_H
#define __SMB_WIRE_BPF_H

#include "aod_maps.bpf.h"

#define SMB_INFLIGHT_MAX	16384

/* struct mid_q_entry.mid_state (fs/smb/client/cifsglob.h) */
#define SMB_MID_RESPONSE_RECEIVED	0x04
#define SMB_MID_RETRY_NEEDED		0x08
#define SMB_MID_RESPONSE_MALFORMED	0x10
#define SMB_MID_SHUTDOWN		0x20

#define SMB2_FLAGS_ASYNC_COMMAND	0x00000002
#define SMB2_FLAGS_RELATED_OPERATIONS	0x00000004
#define SMB2_STATUS_PENDING		0x00000103

/* SMB2 commands and NT statuses cifs takes for a normal end (see smb_status_ends_normally) */
#define SMB2_SESSION_SETUP		1
#define SMB2_READ			8
#define SMB2_QUERY_DIRECTORY		14
#define SMB2_STATUS_NO_MORE_FILES	0x80000006
#define SMB2_STATUS_END_OF_FILE		0xc0000011
#define SMB2_STATUS_MORE_PROCESSING_REQUIRED 0xc0000016

#define SMB_EIO		5
#define SMB_EAGAIN	11
#define SMB_EHOSTDOWN	112

struct smb_req_key {
	__u64	session_id;
	__u64	mid;
};

struct smb_req {
	__u64			start_ns;
	__u64			conn_id;
	struct aod_issuer	who;
	__u32			tree_id;
	__u16			command;
	__u16			flags;
};

/* Requests in flight; user space scans it for hung ones. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SMB_INFLIGHT_MAX);
	__type(key, struct smb_req_key);
	__type(value, struct smb_req);
} smb_inflight SEC(".maps");

/* struct mid_q_entry * -> its request, for the smb-mid probe's release hook */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SMB_INFLIGHT_MAX);
	__type(key, __u64);
	__type(value, struct smb_req_key);
} smb_mids SEC(".maps");

/*
 * The struct mid_q_entry * that __release_mid is freeing on this CPU, noted by
 * smb-mid on entry: cifs traces smb3_slow_rsp from inside it, and smb-session
 * reads the mid's connection and issuer from it.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} smb_releasing SEC(".maps");

const struct smb_req *unused_smb_req __attribute__((unused));

static __always_inline int smb_req_start(__u64 session_id, __u64 mid,
					 __u16 command, __u32 tree_id)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	struct smb_req req = {};

	if (!gate_open(AOD_SRC_SMB_WIRE))
		return 0;
	req.start_ns = bpf_ktime_get_ns();
	req.tree_id = tree_id;
	req.command = command;
	issuer_current(&req.who);

	if (bpf_map_update_elem(&smb_inflight, &key, &req, BPF_ANY))
		count_drop(AOD_PROBE_SMB_WIRE, AOD_DROP_INFLIGHT_FULL);
	return 0;
}

static __always_inline void smb_req_emit(const struct smb_req_key *key,
					 const struct smb_req *req, __u64 now,
					 __u64 latency, __u8 kind, __u32 status,
					 int rc, __u8 probe)
{
	struct aod_event *e = event_reserve(probe);

	if (!e)
		return;
	e->ts_ns = now;
	e->latency_ns = latency;
	e->session_id = key->session_id;
	e->request_id = key->mid;
	e->conn_id = req->conn_id;
	event_set_issuer(e, &req->who);
	e->status = status;
	e->error = rc;
	e->tree_id = req->tree_id;
	e->flags = req->flags;
	e->command = req->command;
	e->source = AOD_SRC_SMB_WIRE;
	e->kind = kind;
	event_submit(e);
}

static __always_inline int smb_req_end(__u64 session_id, __u64 mid,
				       __u32 status, int rc, __u8 kind)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	struct smb_req *req;
	__u64 now, latency;

	req = bpf_map_lookup_elem(&smb_inflight, &key);
	if (!req)
		return 0;

	now = bpf_ktime_get_ns();
	latency = now - req->start_ns;
	if (kind == AOD_KIND_ERROR ||
	    is_slow(AOD_SRC_SMB_WIRE, req->command, latency))
		smb_req_emit(&key, req, now, latency, kind, status, rc,
			     AOD_PROBE_SMB_WIRE);
	bpf_map_delete_elem(&smb_inflight, &key);
	return 0;
}

/*
 * Statuses that smb3_cmd_err reports (every status but success is mapped to
 * an errno) and cifs itself takes for a normal end of the command: the end of
 * a directory listing, a read at the end of the file (0 bytes), the next leg
 * of an NTLMSSP session setup.
 */
static __always_inline bool smb_status_ends_normally(__u16 command, __u32 status)
{
	switch (command) {
	case SMB2_QUERY_DIRECTORY:
		return status == SMB2_STATUS_NO_MORE_FILES;
	case SMB2_READ:
		return status == SMB2_STATUS_END_OF_FILE;
	case SMB2_SESSION_SETUP:
		return status == SMB2_STATUS_MORE_PROCESSING_REQUIRED;
	}
	return false;
}

/* smb3_cmd_err: a failure, or a normal end that is a completion like any other. */
static __always_inline int smb_req_failed(__u64 session_id, __u64 mid,
					  __u16 command, __u32 status, int rc)
{
	if (smb_status_ends_normally(command, status))
		return smb_req_end(session_id, mid, status, 0, AOD_KIND_SLOW);
	return smb_req_end(session_id, mid, status, rc, AOD_KIND_ERROR);
}

/* smb-mid, at the mid's allocation: what only the request header tells. */
static __always_inline int smb_req_annotate(__u64 session_id, __u64 mid,
					    __u64 mid_ptr, __u64 conn_id,
					    __u16 flags)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	struct smb_req *req;

	req = bpf_map_lookup_elem(&smb_inflight, &key);
	if (!req)
		return 0;
	req->conn_id = conn_id;
	req->flags |= flags;
	if (bpf_map_update_elem(&smb_mids, &mid_ptr, &key, BPF_ANY))
		count_drop(AOD_PROBE_SMB_MID, AOD_DROP_INFLIGHT_FULL);
	return 0;
}

/* smb-mid: the server answered STATUS_PENDING, the final response is async. */
static __always_inline int smb_req_pending(__u64 session_id, __u64 mid)
{
	struct smb_req_key key = { .session_id = session_id, .mid = mid };
	struct smb_req *req;

	req = bpf_map_lookup_elem(&smb_inflight, &key);
	if (req)
		req->flags |= AOD_FLAG_ASYNC;
	return 0;
}

/*
 * smb-mid, when the mid is freed. A request still in flight then either got
 * a response whose status cifs never maps (an echo: a completion) or none at
 * all; the latter fails with the errno cifs gives its caller for that state.
 */
static __always_inline int smb_req_released(__u64 mid_ptr, int mid_state)
{
	struct smb_req_key *found, key;
	struct smb_req *req;
	__u64 now, latency;
	int rc = 0;

	found = bpf_map_lookup_elem(&smb_mids, &mid_ptr);
	if (!found)
		return 0;
	key = *found;
	bpf_map_delete_elem(&smb_mids, &mid_ptr);

	req = bpf_map_lookup_elem(&smb_inflight, &key);
	if (!req)
		return 0;
	now = bpf_ktime_get_ns();
	latency = now - req->start_ns;
	switch (mid_state) {
	case SMB_MID_RESPONSE_RECEIVED:
		if (is_slow(AOD_SRC_SMB_WIRE, req->command, latency))
			smb_req_emit(&key, req, now, latency, AOD_KIND_SLOW, 0,
				     0, AOD_PROBE_SMB_MID);
		break;
	case SMB_MID_RETRY_NEEDED:
		rc = -SMB_EAGAIN;
		break;
	case SMB_MID_RESPONSE_MALFORMED:
		rc = -SMB_EIO;
		break;
	case SMB_MID_SHUTDOWN:
		rc = -SMB_EHOSTDOWN;
		break;
	}
	if (rc)
		smb_req_emit(&key, req, now, latency, AOD_KIND_ERROR, 0, rc,
			     AOD_PROBE_SMB_MID);
	bpf_map_delete_elem(&smb_inflight, &key);
	return 0;
}

#endif /* __SMB_WIRE_BPF_H */
