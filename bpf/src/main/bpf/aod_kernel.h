/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The few kernel types AOD's probes read. cifs and nfs types live in module
 * BTF, not vmlinux BTF, so a generated vmlinux.h would not have them anyway;
 * each is declared with only the fields we read and relocated by CO-RE
 * against the running kernel (vmlinux and module BTF).
 */
#ifndef __AOD_KERNEL_H
#define __AOD_KERNEL_H

#include <linux/types.h>
#include <linux/bpf.h>
#include <stdbool.h>

/* SMB2 headers are little endian on the wire and in memory. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define aod_le32_to_cpu(x)	((__u32)(x))
#define aod_le64_to_cpu(x)	((__u64)(x))
#else
#define aod_le32_to_cpu(x)	__builtin_bswap32(x)
#define aod_le64_to_cpu(x)	__builtin_bswap64(x)
#endif

struct trace_entry {
	unsigned short		type;
	unsigned char		flags;
	unsigned char		preempt_count;
	int			pid;
} __attribute__((preserve_access_index));

/* cifs: smb3_cmd_enter, smb3_cmd_done (fs/smb/client/trace.h) */
struct trace_event_raw_smb3_cmd_done_class {
	struct trace_entry	ent;
	__u32			tid;
	__u64			sesid;
	__u16			cmd;
	__u64			mid;
} __attribute__((preserve_access_index));

/* cifs: smb3_cmd_err */
struct trace_event_raw_smb3_cmd_err_class {
	struct trace_entry	ent;
	__u32			tid;
	__u64			sesid;
	__u16			cmd;
	__u64			mid;
	__u32			status;
	int			rc;
} __attribute__((preserve_access_index));

/* VFS: from a hooked function's arguments to the inode and its super block */
struct super_block {
	__u32			s_dev;
	void			*s_fs_info;
} __attribute__((preserve_access_index));

struct inode {
	unsigned long		i_ino;
	struct super_block	*i_sb;
} __attribute__((preserve_access_index));

struct dentry {
	struct inode		*d_inode;
} __attribute__((preserve_access_index));

struct path {
	struct dentry		*dentry;
} __attribute__((preserve_access_index));

struct file {
	struct inode		*f_inode;
} __attribute__((preserve_access_index));

struct kiocb {
	struct file		*ki_filp;
} __attribute__((preserve_access_index));

struct address_space {
	struct inode		*host;
} __attribute__((preserve_access_index));

struct folio {
	struct address_space	*mapping;
} __attribute__((preserve_access_index));

struct page {
	struct address_space	*mapping;
} __attribute__((preserve_access_index));

struct readahead_control {
	struct address_space	*mapping;
} __attribute__((preserve_access_index));

/* cifs: request headers and message ids (fs/smb/client) */
struct smb2_hdr {
	__le32			Status;
	__le32			Flags;
	__le32			NextCommand;
	__le64			MessageId;
	__le64			SessionId;
} __attribute__((preserve_access_index));

struct TCP_Server_Info {
	__u64			conn_id;
} __attribute__((preserve_access_index));

struct kref {
	int			refcount;
} __attribute__((preserve_access_index));

/* the task that issued a mid, and its cgroup (the default hierarchy's) */
struct kernfs_node {
	__u64			id;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node	*kn;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup		*dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	int			pid;
	int			tgid;
	char			comm[16];
	struct css_set		*cgroups;
} __attribute__((preserve_access_index));

struct mid_q_entry {
	struct kref		refcount;
	struct TCP_Server_Info	*server;
	__u64			mid;
	struct task_struct	*creator;
	int			mid_state;
} __attribute__((preserve_access_index));

/* sunrpc and the NFS client */
struct rpc_procinfo {
	__u32			p_statidx;
} __attribute__((preserve_access_index));

struct rpc_message {
	const struct rpc_procinfo *rpc_proc;
} __attribute__((preserve_access_index));

struct rpc_clnt {
	unsigned int		cl_clid;
	__u32			cl_prog;
	__u32			cl_vers;
} __attribute__((preserve_access_index));

struct rpc_rqst;

struct rpc_task {
	int			tk_status;
	struct rpc_message	tk_msg;
	struct rpc_clnt		*tk_client;
	struct rpc_rqst		*tk_rqstp;
	unsigned short		tk_timeouts;
} __attribute__((preserve_access_index));

struct rpc_rqst {
	struct rpc_task		*rq_task;
	__be32			rq_xid;
	int			rq_ntrans;
} __attribute__((preserve_access_index));

struct nfs_server {
	struct rpc_clnt		*client;
} __attribute__((preserve_access_index));

#endif /* __AOD_KERNEL_H */
