/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one record every AOD probe sends to user space, and the maps they
 * share. Mirrored field by field by dev.aod.bpf.EventLayout; EventLayoutTest
 * compares the two through the BTF of the compiled object.
 */
#ifndef __AOD_EVENT_H
#define __AOD_EVENT_H

#define AOD_COMM_LEN		16
/* Threshold slots per source: command index 0..255 (SMB2 has 20, NFSv4 69). */
#define AOD_CMD_SLOTS		256
#define AOD_SOURCES		8
#define AOD_NO_THRESHOLD	(~0ULL)

enum aod_source {
	AOD_SRC_SELFTEST	= 0,
	AOD_SRC_SMB_WIRE	= 1,
	AOD_SRC_SMB_VFS		= 2,
	AOD_SRC_NFS_RPC		= 3,
	AOD_SRC_NFS_VFS		= 4,
};

enum aod_kind {
	AOD_KIND_SLOW		= 1,	/* completed at or over its threshold */
	AOD_KIND_ERROR		= 2,	/* completed with an error status */
	AOD_KIND_HUNG		= 3,	/* started, not completed after the hung limit */
	AOD_KIND_SESSION	= 4,	/* connection trouble; command = enum aod_session_event */
};

/* command of AOD_KIND_SESSION events (dev.aod.protocol.SessionEvent order) */
enum aod_session_event {
	AOD_SESSION_RECONNECT		= 0,
	AOD_SESSION_CREDIT_TIMEOUT	= 1,
	AOD_SESSION_INSUFFICIENT_CREDITS = 2,
	AOD_SESSION_SLOW_RESPONSE	= 3,
	AOD_SESSION_RETRANSMIT		= 4,
	AOD_SESSION_RPC_TIMEOUT		= 5,
};

/* flags */
#define AOD_FLAG_ASYNC		(1 << 0)	/* SMB2 async request */
#define AOD_FLAG_COMPOUND	(1 << 1)	/* part of an SMB2 compound */

/*
 * Drop counters are kept per probe (slot probe * AOD_DROP_REASONS + reason);
 * the four event sources are probes 1-4, the probes that only add to them
 * follow.
 */
enum aod_probe {
	AOD_PROBE_SELFTEST	= 0,
	AOD_PROBE_SMB_WIRE	= 1,
	AOD_PROBE_SMB_VFS	= 2,
	AOD_PROBE_NFS_RPC	= 3,
	AOD_PROBE_NFS_VFS	= 4,
	AOD_PROBE_SMB_SESSION	= 5,
	AOD_PROBE_NFS_SESSION	= 6,
	AOD_PROBE_SMB_MID	= 7,
	AOD_PROBES		= 8,
};

enum aod_drop_reason {
	AOD_DROP_RINGBUF_FULL	= 0,
	AOD_DROP_INFLIGHT_FULL	= 1,
	AOD_DROP_REASONS	= 2,
};

/*
 * Fields by source and kind:
 * - SMB wire: session_id, request_id = mid, conn_id (with the smb-mid probe),
 *   tree_id of the request, flags, status = NT status, error = errno.
 * - NFS RPC: request_id = xid, conn_id = RPC client id, dev of the mount once
 *   the nfs-vfs probe has seen it, error = RPC task status.
 * - VFS: request_id = inode number, dev, error = negative return value,
 *   aux = the hooked kernel function (index in <probe>.functions).
 * - SESSION: command = enum aod_session_event, conn_id, request_id = mid/xid
 *   of the request concerned, status = its SMB2 command / NFS procedure,
 *   aux = credits (SMB credit events) or transmissions (NFS), error = errno.
 */
struct aod_event {
	__u64	ts_ns;		/* completion (or detection), CLOCK_MONOTONIC */
	__u64	latency_ns;	/* for HUNG: age when found */
	__u64	session_id;	/* SMB session id */
	__u64	request_id;	/* SMB message id (mid), NFS xid, VFS inode */
	__u64	conn_id;	/* SMB connection id, NFS RPC client id */
	__u64	cgroup_id;	/* of the issuing task */
	__u32	tgid;		/* issuing task, not the completing one */
	__u32	pid;
	__u32	status;		/* NT status; SESSION: operation concerned */
	__s32	error;		/* negative errno */
	__u32	tree_id;	/* SMB tree id */
	__u32	dev;		/* super block s_dev (VFS, NFS RPC) */
	__u32	aux;		/* kind-specific: retransmits, credits, function */
	__u16	flags;		/* AOD_FLAG_* */
	__u16	command;	/* SMB2 command, NFS procedure, VFS op, session event */
	__u8	source;		/* enum aod_source */
	__u8	kind;		/* enum aod_kind */
	__u16	reserved;
	__u32	reserved2;
	char	comm[AOD_COMM_LEN];
};

#endif /* __AOD_EVENT_H */
