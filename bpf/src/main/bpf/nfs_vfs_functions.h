/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The NFS client functions the nfs-vfs probe hooks (no include guard:
 * expanded several times). VFS_FN(function, operation, inode, return value).
 *
 * NFSv2/v3 and NFSv4 share most file operations; NFSv4 has its own open,
 * flush, llseek, fallocate and copy_file_range (module nfsv4, hooked while it
 * is loaded). nfs4_atomic_open and the lookup revalidation are called under
 * these, not by the VFS, and are not hooked.
 */

/* file operations */
VFS_FN(nfs_file_read, AOD_VFS_READ, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(nfs_file_write, AOD_VFS_WRITE, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(nfs_file_open, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs4_file_open, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_opendir, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_file_release, AOD_VFS_RELEASE, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_closedir, AOD_VFS_RELEASE, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_file_flush, AOD_VFS_FLUSH, FILE_ARG(0), RET_INT(2))
VFS_FN(nfs4_file_flush, AOD_VFS_FLUSH, FILE_ARG(0), RET_INT(2))
VFS_FN(nfs_file_fsync, AOD_VFS_FSYNC, FILE_ARG(0), RET_INT(4))
VFS_FN(nfs_fsync_dir, AOD_VFS_FSYNC, FILE_ARG(0), RET_INT(4))
VFS_FN(nfs_lock, AOD_VFS_LOCK, FILE_ARG(0), RET_INT(3))
VFS_FN(nfs_flock, AOD_VFS_LOCK, FILE_ARG(0), RET_INT(3))
VFS_FN(nfs_file_mmap, AOD_VFS_MMAP, FILE_ARG(0), RET_INT(2))
VFS_FN(nfs_file_llseek, AOD_VFS_LLSEEK, FILE_ARG(0), RET_LONG(3))
VFS_FN(nfs4_file_llseek, AOD_VFS_LLSEEK, FILE_ARG(0), RET_LONG(3))
VFS_FN(nfs42_fallocate, AOD_VFS_FALLOCATE, FILE_ARG(0), RET_LONG(4))
VFS_FN(nfs_readdir, AOD_VFS_READDIR, FILE_ARG(0), RET_INT(2))
VFS_FN(nfs4_copy_file_range, AOD_VFS_COPY_FILE_RANGE, FILE_ARG(2), RET_LONG(6))

/* inode operations */
VFS_FN(nfs_lookup, AOD_VFS_LOOKUP, INODE_ARG(0), RET_PTR(3))
VFS_FN(nfs_atomic_open, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(5))
VFS_FN(nfs_create, AOD_VFS_CREATE, INODE_ARG(1), RET_INT(5))
VFS_FN(nfs_getattr, AOD_VFS_GETATTR, PATH_ARG(1), RET_INT(5))
VFS_FN(nfs_setattr, AOD_VFS_SETATTR, DENTRY_ARG(1), RET_INT(3))
VFS_FN(nfs_unlink, AOD_VFS_UNLINK, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_rename, AOD_VFS_RENAME, INODE_ARG(1), RET_INT(6))
VFS_FN(nfs_mkdir, AOD_VFS_MKDIR, INODE_ARG(1), RET_INT(4))
VFS_FN(nfs_rmdir, AOD_VFS_RMDIR, INODE_ARG(0), RET_INT(2))
VFS_FN(nfs_link, AOD_VFS_LINK, INODE_ARG(1), RET_INT(3))
VFS_FN(nfs_symlink, AOD_VFS_SYMLINK, INODE_ARG(1), RET_INT(4))
VFS_FN(nfs_mknod, AOD_VFS_MKNOD, INODE_ARG(1), RET_INT(5))
VFS_FN(nfs_get_link, AOD_VFS_READLINK, INODE_ARG(1), RET_PTR(3))

/* address space operations */
VFS_FN(nfs_read_folio, AOD_VFS_READ_FOLIO, FOLIO_ARG(1), RET_INT(2))
VFS_FN(nfs_readahead, AOD_VFS_READAHEAD, RAC_ARG(0), NO_RET)
VFS_FN(nfs_writepage, AOD_VFS_WRITEPAGE, PAGE_ARG(0), RET_INT(2))
VFS_FN(nfs_writepages, AOD_VFS_WRITEPAGES, MAPPING_ARG(0), RET_INT(2))

/* super operations */
VFS_FN(nfs_statfs, AOD_VFS_STATFS, DENTRY_ARG(0), RET_INT(2))
