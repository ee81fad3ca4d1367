#!/usr/bin/env bash
# Builds everything a qemu guest for the e2e tests needs, from Debian packages only:
#   OUTDIR/vmlinuz            Debian's current linux-image-amd64 kernel
#   OUTDIR/initrd.img         busybox initramfs: loads the root-disk modules, switch_root to /aod/guest-init
#   OUTDIR/rootfs.img         ext4 image: debootstrap'd bookworm with samba, NFS server, bpftool, Java 17, ...
#   OUTDIR/kernel-version.txt the kernel release (uname -r in the guest)
#
# Usage: build-guest.sh OUTDIR        (as root, on Debian 12)
#
# A complete build whose stamp matches the sources in this directory is reused as is.
# The build happens in a temporary directory next to OUTDIR that is renamed into place
# at the end, so an interrupted build never looks complete.
set -euo pipefail

GUEST_SRC_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly GUEST_SRC_DIR
readonly SUITE=bookworm
readonly MIRROR="${AOD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly HOST_PACKAGES=(qemu-system-x86 qemu-utils debootstrap busybox-static cpio e2fsprogs zstd kmod)
readonly ROOTFS_PACKAGES=(
  samba cifs-utils nfs-kernel-server nfs-common rpcbind
  iproute2 kmod procps util-linux mount keyutils busybox
  bpftool libbpf1 trace-cmd tcpdump fio
  nftables iptables
  openjdk-17-jre-headless
)
# Modules the initramfs loads to reach the root disk; their dependencies are resolved with modprobe.
readonly ROOT_DISK_MODULES=(virtio_pci virtio_blk ext4)
readonly OUTPUT_FILES=(vmlinuz initrd.img rootfs.img kernel-version.txt)
readonly STAMP_FILE=build-stamp
# Free space left in the root image for what the tests put there (agent jars, test files, ...).
readonly ROOTFS_FREE_MB=1024

log() { printf '[build-guest %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  echo "usage: $0 OUTDIR" >&2
  exit 2
}

source_stamp() {
  (cd "$GUEST_SRC_DIR" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    sha256sum | cut -d' ' -f1
}

is_complete_build() {
  local dir=$1 stamp=$2 file
  for file in "${OUTPUT_FILES[@]}" "$STAMP_FILE"; do
    [[ -s "$dir/$file" ]] || return 1
  done
  [[ "$(cat "$dir/$STAMP_FILE")" == "$stamp" ]]
}

package_installed() {
  dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | grep -q '^ii'
}

ensure_host_packages() {
  local missing=() pkg
  for pkg in "${HOST_PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  log "installing host packages: ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

resolve_kernel_package() {
  if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
    apt-get update -q >&2
  fi
  apt-cache depends linux-image-amd64 |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# Prints the paths (relative to /lib/modules/KVER) of the modules, with their dependencies
# first, in load order and without duplicates.
module_load_order() {
  local root=$1 kver=$2
  shift 2
  local module
  for module in "$@"; do
    modprobe --show-depends -d "$root" -S "$kver" "$module" || die "modprobe cannot resolve $module"
  done | awk -v prefix="$root/lib/modules/$kver/" '
    $1 == "insmod" {
      path = $2
      if (index(path, prefix) != 1) { print "unexpected module path " path > "/dev/stderr"; exit 1 }
      path = substr(path, length(prefix) + 1)
      if (!(path in seen)) { seen[path] = 1; print path }
    }'
}

unmount_everything_under() {
  local dir=$1 mountpoint
  awk -v dir="$dir/" 'index($2, dir) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mountpoint; do
      umount -l "$mountpoint" || log "cannot unmount $mountpoint"
    done
}

fetch_kernel() {
  local kdir=$1 pkg deb_dir
  pkg="$(resolve_kernel_package)"
  [[ -n "$pkg" ]] || die "cannot resolve the package that linux-image-amd64 depends on"
  log "kernel package: $pkg"
  deb_dir="$WORK/debs"
  mkdir -p "$deb_dir"
  # _apt, apt's download user, may not reach OUTDIR (e.g. under /root).
  (cd "$deb_dir" && apt-get download -q -o APT::Sandbox::User=root "$pkg")
  dpkg -x "$deb_dir"/"$pkg"_*.deb "$kdir"
}

bootstrap_rootfs() {
  local root=$1 include
  include="$(IFS=,; echo "${ROOTFS_PACKAGES[*]}")"
  log "debootstrap $SUITE (minbase + ${#ROOTFS_PACKAGES[@]} packages)"
  debootstrap --variant=minbase --include="$include" "$SUITE" "$root" "$MIRROR"
  rm -f "$root"/var/cache/apt/archives/*.deb
  rm -rf "$root"/var/lib/apt/lists/*
}

install_kernel_modules() {
  local kdir=$1 root=$2 kver=$3
  mkdir -p "$root/lib/modules" "$root/boot"
  cp -a "$kdir/lib/modules/$kver" "$root/lib/modules/"
  cp "$kdir/boot/config-$kver" "$root/boot/"
  depmod -b "$root" "$kver"
}

configure_rootfs() {
  local root=$1

  install -D -m 0755 "$GUEST_SRC_DIR/guest-init" "$root/aod/guest-init"

  echo aod-guest >"$root/etc/hostname"
  cat >"$root/etc/hosts" <<'EOF'
127.0.0.1 localhost
127.0.1.1 aod-guest
::1 localhost ip6-localhost ip6-loopback
EOF
  echo 'nameserver 10.0.2.3' >"$root/etc/resolv.conf"
  : >"$root/etc/fstab"

  chroot "$root" useradd --create-home --shell /bin/bash aod
  printf 'aodpass\naodpass\n' | chroot "$root" smbpasswd -s -a aod

  install -d -m 0755 -o 0 -g 0 "$root/srv/smb" "$root/srv/smb-denied" "$root/srv/nfs"
  chroot "$root" chown aod:aod /srv/smb
  echo 'this share is readable but not writable by aod' >"$root/srv/smb-denied/README"

  cat >"$root/etc/samba/smb.conf" <<'EOF'
[global]
  server role = standalone server
  workgroup = WORKGROUP
  netbios name = AOD-GUEST
  interfaces = lo
  bind interfaces only = yes
  smb ports = 445
  disable netbios = yes
  server min protocol = SMB2_10
  map to guest = never
  security = user
  passdb backend = tdbsam
  log file = /var/log/samba/log.%m
  max log size = 1000
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes

[share]
  path = /srv/smb
  valid users = aod
  read only = no
  browseable = yes

[denied]
  path = /srv/smb-denied
  valid users = aod
  read only = yes
  browseable = yes
EOF

  cat >"$root/etc/exports" <<'EOF'
/srv/nfs 127.0.0.1(rw,sync,no_subtree_check,no_root_squash,insecure)
EOF
  # guest-init's nfsdcld makes the server skip the NFSv4 grace period; should it not, keep it short.
  cat >"$root/etc/nfs.conf.d/aod.conf" <<'EOF'
[nfsd]
threads = 4
grace-time = 10
EOF
}

build_initramfs() {
  local root=$1 kver=$2 out=$3 dir module
  dir="$WORK/initramfs"
  mkdir -p "$dir"/{bin,dev,etc,proc,sys,newroot,lib/modules}
  cp /bin/busybox "$dir/bin/busybox"
  install -m 0755 "$GUEST_SRC_DIR/initramfs-init" "$dir/init"
  mknod -m 0600 "$dir/dev/console" c 5 1

  module_load_order "$root" "$kver" "${ROOT_DISK_MODULES[@]}" >"$dir/etc/aod-modules"
  while read -r module; do
    install -D -m 0644 "$root/lib/modules/$kver/$module" "$dir/lib/modules/$module"
  done <"$dir/etc/aod-modules"
  log "initramfs modules: $(tr '\n' ' ' <"$dir/etc/aod-modules")"

  local compress=(gzip -9)
  if grep -q '^CONFIG_RD_ZSTD=y' "$root/boot/config-$kver"; then
    compress=(zstd -q -19)
  fi
  (cd "$dir" && find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --quiet) |
    "${compress[@]}" >"$out"
}

make_rootfs_image() {
  local root=$1 out=$2 used_mb
  used_mb="$(du -s --block-size=1M "$root" | cut -f1)"
  local size_mb=$((used_mb * 12 / 10 + ROOTFS_FREE_MB))
  log "rootfs: ${used_mb} MB of files, image ${size_mb} MB"
  mkfs.ext4 -q -F -L aod-root -d "$root" "$out" "${size_mb}M"
}

main() {
  (($# == 1)) || usage
  ((EUID == 0)) || die "must run as root"
  local outdir stamp
  mkdir -p "$(dirname "$1")"
  outdir="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
  stamp="$(source_stamp)"
  # Also when the image is cached: the tests need qemu on this machine.
  ensure_host_packages

  if is_complete_build "$outdir" "$stamp"; then
    log "up to date: $outdir"
    return 0
  fi
  exec 9>"$outdir.lock"
  flock 9
  if is_complete_build "$outdir" "$stamp"; then
    log "up to date: $outdir (built concurrently)"
    return 0
  fi

  local started=$SECONDS stale
  for stale in "$(dirname "$outdir")/.$(basename "$outdir").build."*; do
    [[ -d "$stale" ]] || continue
    log "removing the leftovers of an interrupted build: $stale"
    unmount_everything_under "$stale"
    rm -rf --one-file-system "$stale"
  done

  WORK="$(mktemp -d "$(dirname "$outdir")/.$(basename "$outdir").build.XXXXXX")"
  trap 'unmount_everything_under "$WORK"; rm -rf --one-file-system "$WORK"' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local root="$WORK/rootfs" kdir="$WORK/kernel" out="$WORK/out" kver
  mkdir -p "$out"

  fetch_kernel "$kdir"
  kver="$(basename "$(find "$kdir/lib/modules" -mindepth 1 -maxdepth 1 -type d)")"
  [[ -f "$kdir/boot/vmlinuz-$kver" ]] || die "no vmlinuz-$kver in the kernel package"
  cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"

  bootstrap_rootfs "$root"
  install_kernel_modules "$kdir" "$root" "$kver"
  configure_rootfs "$root"
  build_initramfs "$root" "$kver" "$out/initrd.img"
  # shellcheck disable=SC2016 # dpkg-query's format, not ours
  chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' >"$out/rootfs-packages.txt"
  make_rootfs_image "$root" "$out/rootfs.img"
  echo "$kver" >"$out/kernel-version.txt"
  echo "$stamp" >"$out/$STAMP_FILE"

  if [[ -e "$outdir" ]]; then
    mv "$outdir" "$WORK/previous"
  fi
  mv "$out" "$outdir"
  log "built $outdir (kernel $kver) in $((SECONDS - started)) s"
}

main "$@"
