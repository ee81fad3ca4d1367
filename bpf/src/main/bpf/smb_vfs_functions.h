/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The cifs functions the smb-vfs probe hooks (no include guard: expanded
 * several times). VFS_FN(function, operation, inode, return value).
 *
 * cifs installs different file operations per mount: cache=strict (the
 * default) cifs_strict_readv/writev, cache=loose cifs_loose_read_iter and
 * cifs_file_write_iter, cache=none cifs_direct_readv/writev; the nobrl
 * variants use the same functions. cifs_user_readv/writev are called by the
 * strict ones, not by the VFS, and are not hooked; neither is write_begin,
 * which runs for every page of a buffered write and does I/O only to fill a
 * partly written page.
 */

/* file operations */
VFS_FN(cifs_strict_readv, AOD_VFS_READ, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_loose_read_iter, AOD_VFS_READ, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_direct_readv, AOD_VFS_READ, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_strict_writev, AOD_VFS_WRITE, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_file_write_iter, AOD_VFS_WRITE, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_direct_writev, AOD_VFS_WRITE, KIOCB_ARG(0), RET_LONG(2))
VFS_FN(cifs_open, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(2))
VFS_FN(cifs_close, AOD_VFS_RELEASE, INODE_ARG(0), RET_INT(2))
VFS_FN(cifs_closedir, AOD_VFS_RELEASE, INODE_ARG(0), RET_INT(2))
VFS_FN(cifs_flush, AOD_VFS_FLUSH, FILE_ARG(0), RET_INT(2))
VFS_FN(cifs_strict_fsync, AOD_VFS_FSYNC, FILE_ARG(0), RET_INT(4))
VFS_FN(cifs_fsync, AOD_VFS_FSYNC, FILE_ARG(0), RET_INT(4))
VFS_FN(cifs_dir_fsync, AOD_VFS_FSYNC, FILE_ARG(0), RET_INT(4))
VFS_FN(cifs_lock, AOD_VFS_LOCK, FILE_ARG(0), RET_INT(3))
VFS_FN(cifs_flock, AOD_VFS_LOCK, FILE_ARG(0), RET_INT(3))
VFS_FN(cifs_file_strict_mmap, AOD_VFS_MMAP, FILE_ARG(0), RET_INT(2))
VFS_FN(cifs_file_mmap, AOD_VFS_MMAP, FILE_ARG(0), RET_INT(2))
VFS_FN(cifs_llseek, AOD_VFS_LLSEEK, FILE_ARG(0), RET_LONG(3))
VFS_FN(cifs_fallocate, AOD_VFS_FALLOCATE, FILE_ARG(0), RET_LONG(4))
VFS_FN(cifs_readdir, AOD_VFS_READDIR, FILE_ARG(0), RET_INT(2))
VFS_FN(cifs_copy_file_range, AOD_VFS_COPY_FILE_RANGE, FILE_ARG(2), RET_LONG(6))
VFS_FN(cifs_ioctl, AOD_VFS_IOCTL, FILE_ARG(0), RET_LONG(3))

/* inode operations */
VFS_FN(cifs_lookup, AOD_VFS_LOOKUP, INODE_ARG(0), RET_PTR(3))
VFS_FN(cifs_atomic_open, AOD_VFS_OPEN, INODE_ARG(0), RET_INT(5))
VFS_FN(cifs_create, AOD_VFS_CREATE, INODE_ARG(1), RET_INT(5))
VFS_FN(cifs_getattr, AOD_VFS_GETATTR, PATH_ARG(1), RET_INT(5))
VFS_FN(cifs_setattr, AOD_VFS_SETATTR, DENTRY_ARG(1), RET_INT(3))
VFS_FN(cifs_unlink, AOD_VFS_UNLINK, INODE_ARG(0), RET_INT(2))
VFS_FN(cifs_rename2, AOD_VFS_RENAME, INODE_ARG(1), RET_INT(6))
VFS_FN(cifs_mkdir, AOD_VFS_MKDIR, INODE_ARG(1), RET_INT(4))
VFS_FN(cifs_rmdir, AOD_VFS_RMDIR, INODE_ARG(0), RET_INT(2))
VFS_FN(cifs_hardlink, AOD_VFS_LINK, INODE_ARG(1), RET_INT(3))
VFS_FN(cifs_symlink, AOD_VFS_SYMLINK, INODE_ARG(1), RET_INT(4))
VFS_FN(cifs_mknod, AOD_VFS_MKNOD, INODE_ARG(1), RET_INT(5))
VFS_FN(cifs_get_link, AOD_VFS_READLINK, INODE_ARG(1), RET_PTR(3))

/* address space operations */
VFS_FN(cifs_read_folio, AOD_VFS_READ_FOLIO, FOLIO_ARG(1), RET_INT(2))
VFS_FN(cifs_readahead, AOD_VFS_READAHEAD, RAC_ARG(0), NO_RET)
VFS_FN(cifs_writepage, AOD_VFS_WRITEPAGE, PAGE_ARG(0), RET_INT(2))
VFS_FN(cifs_writepages, AOD_VFS_WRITEPAGES, MAPPING_ARG(0), RET_INT(2))

/* super operations */
VFS_FN(cifs_statfs, AOD_VFS_STATFS, DENTRY_ARG(0), RET_INT(2))
