#!/usr/bin/env bash
# Builds an AOD container image on a local Docker engine without a registry, equivalent to
# images/KIND/Dockerfile:
#   stage runtime  debootstrap --variant=minbase bookworm + images/KIND/packages, then
#                  images/KIND/setup.sh in a chroot and debian:bookworm-slim's trimming;
#                  `docker import`ed as aod/KIND-runtime:STAMP
#   stage jre      images/jlink.sh with this machine's Debian JDK 17
#   last stage     the Dockerfile's own, unchanged but for `FROM runtime` and `COPY --from=jre`,
#                  run by `docker build` (the legacy builder: Debian's docker.io has no BuildKit)
# The root file system and the runtime are cached under $AOD_IMAGES_CACHE (default
# ~/.cache/aod/images), each with a stamp of its inputs; a stale or interrupted build is redone.
# KIND base builds only the equivalent of debian:bookworm-slim (plain minbase, trimmed), for
# building the production Dockerfiles themselves here (ProductionDockerfilesIT).
#
# Usage: build-local.sh KIND TAG       (as root, on Debian 12; KIND is agent, operator or base)
# Env:   DOCKER_HOST (the engine; the docker CLI's default otherwise), AOD_IMAGES_CACHE,
#        AOD_DEBIAN_MIRROR, AOD_JDK17 (default /usr/lib/jvm/java-17-openjdk-amd64)
# Prints one line per step with its duration, and finally `built TAG in N s`.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$IMAGES_DIR")"
readonly IMAGES_DIR REPO_DIR
readonly SUITE=bookworm
readonly MIRROR="${AOD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly JDK="${AOD_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}"
readonly CACHE="${AOD_IMAGES_CACHE:-$HOME/.cache/aod/images}"
readonly STAMP_FILE=build-stamp
# debian:bookworm-slim's image configuration that the Dockerfiles inherit.
readonly BASE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { printf '[build-local %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  echo "usage: $0 agent|operator TAG" >&2
  exit 2
}

hash_files() {
  sha256sum "$@" | cut -d' ' -f1 | sha256sum | cut -d' ' -f1
}

packages() {
  [[ "$KIND" == base ]] || sed -e 's/#.*//' "$IMAGES_DIR/$KIND/packages" | xargs
}

# What the root file system is made of, for its stamp.
rootfs_inputs() {
  declare -f build_rootfs slim
  echo "$SUITE $KIND"
  if [[ "$KIND" != base ]]; then
    cat "$IMAGES_DIR/$KIND/packages" "$IMAGES_DIR/$KIND/setup.sh"
  fi
}

unmount_everything_under() {
  local dir=$1 mountpoint
  awk -v dir="$dir/" 'index($2, dir) == 1 { print $2 }' /proc/self/mounts | sort -r |
    while read -r mountpoint; do
      umount -l "$mountpoint" || log "cannot unmount $mountpoint"
    done
}

# Runs BUILDER OUTDIR unless OUTDIR holds a complete build with STAMP. BUILDER fills a fresh
# directory that is renamed to OUTDIR only when it succeeded.
cached() {
  local outdir=$1 stamp=$2 builder=$3 work started=$SECONDS
  if [[ "$(cat "$outdir/$STAMP_FILE" 2>/dev/null)" == "$stamp" ]]; then
    log "cached: $outdir"
    return 0
  fi
  mkdir -p "$(dirname "$outdir")"
  exec 9>"$outdir.lock"
  flock 9
  if [[ "$(cat "$outdir/$STAMP_FILE" 2>/dev/null)" == "$stamp" ]]; then
    log "cached: $outdir (built concurrently)"
    exec 9>&-
    return 0
  fi
  local stale
  for stale in "$outdir".build.*; do
    [[ -d "$stale" ]] || continue
    log "removing the leftovers of an interrupted build: $stale"
    unmount_everything_under "$stale"
    rm -rf --one-file-system "$stale"
  done
  work="$(mktemp -d "$outdir.build.XXXXXX")"
  WORK_DIRS+=("$work")
  "$builder" "$work/out"
  echo "$stamp" >"$work/out/$STAMP_FILE"
  rm -rf --one-file-system "$outdir"
  mv "$work/out" "$outdir"
  exec 9>&-
  log "built $outdir in $((SECONDS - started)) s"
}

build_rootfs() {
  local out=$1 root pkgs include=()
  root="$(dirname "$out")/root"
  pkgs="$(packages)"
  if [[ -n "$pkgs" ]]; then
    include=("--include=${pkgs// /,}")
  fi
  mkdir -p "$out"
  log "debootstrap $SUITE minbase${pkgs:+ + $pkgs}"
  debootstrap --variant=minbase "${include[@]}" "$SUITE" "$root" "$MIRROR" >"$out/debootstrap.log" 2>&1 ||
    { tail -n 30 "$out/debootstrap.log" >&2; die "debootstrap failed"; }
  if [[ "$KIND" != base ]]; then
    chroot "$root" /bin/sh -s <"$IMAGES_DIR/$KIND/setup.sh"
  fi
  # debootstrap does not follow Provides: for nfs-common's and rpcbind's lsb-base it installs the
  # empty transitional package, where apt takes sysvinit-utils (Provides: lsb-base).
  if chroot "$root" dpkg -s lsb-base >/dev/null 2>&1; then
    chroot "$root" dpkg --purge lsb-base >/dev/null
  fi
  # shellcheck disable=SC2016 # dpkg-query's format, not ours
  chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' >"$out/packages.txt"
  slim "$root"
  tar --numeric-owner --xattrs -C "$root" -cf "$out/rootfs.tar" \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' --exclude='./run/*' --exclude='./tmp/*' .
  unmount_everything_under "$root"
  rm -rf --one-file-system "$root"
}

# What debian:bookworm-slim leaves out (its dpkg path-excludes), and what apt and debootstrap leave behind.
slim() {
  local root=$1
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  rm -rf "$root"/usr/share/{man,groff,info,lintian,linda}/* "$root"/usr/share/locale/*
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
  find "$root/var/log" -type f -delete
  rm -f "$root/etc/hostname"
  : >"$root/etc/resolv.conf"
}

build_jre() {
  local out=$1
  JAVA_HOME="$JDK" "$IMAGES_DIR/jlink.sh" "$IMAGES_DIR/$KIND/jre-modules" "$out/jre"
}

# The Dockerfile's last stage, pointed at the local runtime image and the staged copies of
# COPY sources; the context directory gets each source at the same relative path.
local_dockerfile() {
  local dockerfile=$1 runtime_image=$2 context=$3
  local last line from_seen=0 words
  last="$(grep -n -i '^FROM[[:space:]]' "$dockerfile" | tail -n 1 | cut -d: -f1)"
  while IFS= read -r line; do
    read -r -a words <<<"$line"
    case "${words[0]:-}" in
      FROM | from)
        [[ "${words[*]}" == "FROM runtime" ]] || die "$dockerfile: the last stage must start with 'FROM runtime'"
        echo "FROM $runtime_image"
        from_seen=1
        ;;
      COPY | copy)
        ((${#words[@]} == 3 || ${#words[@]} == 4)) || die "$dockerfile: only 'COPY [--from=jre] SRC DEST' is supported: $line"
        if [[ "${words[1]}" == --from=jre ]]; then
          echo "COPY stage-jre${words[2]} ${words[3]}"
        elif [[ "${words[1]}" == --* ]]; then
          die "$dockerfile: unsupported COPY option: $line"
        else
          [[ -e "$REPO_DIR/${words[1]}" ]] || die "${words[1]} does not exist: build it first (mvn -B package -DskipTests)"
          mkdir -p "$context/$(dirname "${words[1]}")"
          cp -a "$REPO_DIR/${words[1]}" "$context/${words[1]}"
          echo "$line"
        fi
        ;;
      *)
        echo "$line"
        ;;
    esac
  done < <(tail -n +"$last" "$dockerfile")
  ((from_seen)) || die "$dockerfile has no FROM"
}

cleanup() {
  local dir
  for dir in "${WORK_DIRS[@]}"; do
    unmount_everything_under "$dir"
    rm -rf --one-file-system "$dir"
  done
}

main() {
  (($# == 2)) || usage
  KIND=$1
  local tag=$2 started=$SECONDS
  [[ "$KIND" == base || -f "$IMAGES_DIR/$KIND/Dockerfile" ]] || usage
  ((EUID == 0)) || die "must run as root (debootstrap, chroot)"
  command -v debootstrap >/dev/null || die "debootstrap is not installed (scripts/install-prereqs)"
  command -v docker >/dev/null || die "the docker CLI is not installed (scripts/install-prereqs)"
  grep -q '^JAVA_VERSION="17' "$JDK/release" 2>/dev/null || die "$JDK is not a JDK 17 (set AOD_JDK17)"

  WORK_DIRS=()
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  local rootfs_stamp jre_stamp rootfs_dir jre_dir runtime_image
  # Only what goes into the root file system, so that editing the rest of this script keeps the cache.
  rootfs_stamp="$(rootfs_inputs | sha256sum | cut -d' ' -f1)"
  rootfs_dir="$CACHE/$KIND-rootfs"
  cached "$rootfs_dir" "$rootfs_stamp" build_rootfs
  if [[ "$KIND" == base ]]; then
    docker import --change "ENV PATH=$BASE_PATH" --change 'CMD ["bash"]' \
      --message "debootstrap $SUITE minbase" "$rootfs_dir/rootfs.tar" "$tag" >/dev/null
    log "built $tag in $((SECONDS - started)) s"
    return 0
  fi
  jre_stamp="$(hash_files "$IMAGES_DIR/jlink.sh" "$IMAGES_DIR/$KIND/jre-modules" "$JDK/release")"
  jre_dir="$CACHE/$KIND-jre"
  cached "$jre_dir" "$jre_stamp" build_jre

  local step=$SECONDS
  runtime_image="aod/$KIND-runtime:${rootfs_stamp:0:16}"
  if docker image inspect "$runtime_image" >/dev/null 2>&1; then
    log "engine has $runtime_image"
  else
    docker import --change "ENV PATH=$BASE_PATH" --change 'CMD ["bash"]' \
      --message "debootstrap $SUITE minbase for aod/$KIND" "$rootfs_dir/rootfs.tar" "$runtime_image" >/dev/null
    log "imported $runtime_image in $((SECONDS - step)) s"
  fi

  step=$SECONDS
  local context
  context="$(mktemp -d "$CACHE/$KIND-context.XXXXXX")"
  WORK_DIRS+=("$context")
  mkdir -p "$context/stage-jre/opt/aod"
  cp -a "$jre_dir/jre" "$context/stage-jre/opt/aod/jre"
  local_dockerfile "$IMAGES_DIR/$KIND/Dockerfile" "$runtime_image" "$context" >"$context/Dockerfile"
  DOCKER_BUILDKIT=0 docker build --label dev.aod.build=local -t "$tag" "$context" >"$context/build.log" 2>&1 ||
    { cat "$context/build.log" >&2; die "docker build failed"; }
  log "docker build $tag in $((SECONDS - step)) s"
  log "built $tag in $((SECONDS - started)) s"
}

main "$@"
