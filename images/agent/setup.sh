#!/bin/sh
# Runs as root inside the agent image's runtime stage, after its packages are installed
# (Dockerfile RUN, or chroot in build-local.sh).
set -eu
# The bundle directory and the configuration are volumes in Kubernetes; these are the defaults.
install -d -m 0755 /etc/aod /var/log/aod /host
