#!/bin/sh
# Runs as root inside the operator image's runtime stage (Dockerfile RUN, or chroot in build-local.sh).
set -eu
# The operator runs as this unprivileged user (USER in the Dockerfile; runAsNonRoot in the chart).
groupadd --system --gid 65532 aod
useradd --system --uid 65532 --gid 65532 --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin aod
