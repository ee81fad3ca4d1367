// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nfs-vfs: latency and return codes of the NFS client's file, inode, address space and super operations. */
#include "aod_kernel.h"
#include <bpf/bpf_helpers.h>
#include "vfs.bpf.h"
#include "nfs_rpc.bpf.h"

enum nfs_vfs_function {
#define VFS_FN(fn, op, inode, ret) nfsv_fn_##fn,
#include "nfs_vfs_functions.h"
#undef VFS_FN
};

/* Which mount an RPC client serves, for the dev of nfs-rpc events. */
static __always_inline void note_client(struct inode *inode)
{
	struct super_block *sb = BPF_CORE_READ(inode, i_sb);
	struct nfs_server *server = BPF_CORE_READ(sb, s_fs_info);
	struct rpc_clnt *clnt = BPF_CORE_READ(server, client);

	if (clnt)
		nfs_note_client(BPF_CORE_READ(clnt, cl_clid), BPF_CORE_READ(sb, s_dev));
}

#define VFS_AFTER_EXIT(op, inode)					\
	if (op == AOD_VFS_OPEN || op == AOD_VFS_GETATTR ||		\
	    op == AOD_VFS_LOOKUP || op == AOD_VFS_STATFS)		\
		note_client(inode)
#define VFS_FN(fn, op, inode, ret) \
	VFS_PROGRAMS(nfsv_, AOD_SRC_NFS_VFS, AOD_PROBE_NFS_VFS, fn, op, inode, ret)
#include "nfs_vfs_functions.h"
#undef VFS_FN

char LICENSE[] SEC("license") = "Dual BSD/GPL";
