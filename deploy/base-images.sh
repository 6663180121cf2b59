#!/usr/bin/env bash
# Builds the local base images Relay's Dockerfiles and docker-compose.yml use, without any
# container registry: each is a minimal Debian bookworm root filesystem made with debootstrap
# from an apt mirror, plus the one thing it runs, imported with `docker import`.
#
#   relay-base/jre:17-bookworm       OpenJDK 17 JRE (headless) + curl (for HEALTHCHECK)   -> ingest, push
#   relay-base/redis:bookworm        redis-server (+ redis-cli)                            -> redis
#   relay-base/haproxy:bookworm      haproxy                                               -> load balancer
#
# Usage (root, Debian/Ubuntu host with debootstrap and a running Docker daemon):
#   deploy/base-images.sh                 # build the images that are missing
#   deploy/base-images.sh --force         # rebuild all three
#
# Settings (environment):
#   RELAY_APT_MIRROR   Debian mirror; default: the first http(s) "debian" URI in /etc/apt/sources.list*,
#                      else http://deb.debian.org/debian
#   SOURCE_DATE_EPOCH  timestamp given to every file in the images (default 2025-01-01), so the same
#                      mirror state gives the same layer
#   RELAY_BASE_CACHE   where downloaded .debs are kept between runs (default /var/cache/relay-base)
#
# Reproducible means: a fixed suite, a fixed package list, no apt lists or logs left in the image,
# files sorted with one mtime and numeric owners. The package versions are those of the mirror at
# build time; each image carries them in /etc/relay-base.packages (and the script prints a digest
# of that list) so two builds can be compared. Pin a snapshot mirror
# (https://snapshot.debian.org/archive/debian/<timestamp>/) in RELAY_APT_MIRROR to freeze them.
set -euo pipefail

SUITE=bookworm
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}
CACHE=${RELAY_BASE_CACHE:-/var/cache/relay-base}
FORCE=false
[[ "${1:-}" == "--force" ]] && FORCE=true

default_mirror() {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null \
    | grep -oE 'https?://[^ ]+/debian/?$' | grep -v security | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}
MIRROR=${RELAY_APT_MIRROR:-$(default_mirror)}

for tool in debootstrap docker tar; do
  command -v "$tool" >/dev/null || { echo "base-images: $tool is required (apt-get install debootstrap docker.io)" >&2; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "base-images: debootstrap needs root" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "base-images: no Docker daemon answers" >&2; exit 1; }
mkdir -p "$CACHE"

# build IMAGE PACKAGES CHANGES...: debootstrap a minbase root with PACKAGES, slim it, import it.
build() {
  local image=$1 packages=$2
  shift 2
  if ! $FORCE && docker image inspect "$image" >/dev/null 2>&1; then
    echo "base-images: $image exists (--force rebuilds it)"
    return
  fi
  local root
  root=$(mktemp -d /var/tmp/relay-base.XXXXXX)
  trap 'rm -rf "$root"' RETURN
  echo "base-images: $image from $MIRROR ($SUITE, minbase + $packages)"
  debootstrap --variant=minbase --include="$packages" --cache-dir="$CACHE" \
    "$SUITE" "$root" "$MIRROR" > "$root.log" 2>&1 \
    || { tail -n 30 "$root.log" >&2; rm -f "$root.log"; exit 1; }
  rm -f "$root.log"
  chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' | LC_ALL=C sort > "$root/etc/relay-base.packages"
  # Nothing the image needs at run time: package lists, caches, logs, docs, man pages.
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/* \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/tmp/* \
    "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
  echo "relay" > "$root/etc/hostname"
  local digest
  digest=$(sha256sum < "$root/etc/relay-base.packages" | cut -c1-16)
  local changes=()
  for change in "$@" "LABEL org.relay.base.packages-sha256=$digest" "LABEL org.relay.base.suite=$SUITE"; do
    changes+=(--change "$change")
  done
  tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --numeric-owner --xattrs --one-file-system \
    -C "$root" -c . | docker import "${changes[@]}" - "$image" > /dev/null
  echo "base-images: $image built (packages digest $digest, $(docker image inspect -f '{{.Size}}' "$image" | numfmt --to=iec))"
}

PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
build relay-base/jre:17-bookworm openjdk-17-jre-headless,curl,ca-certificates \
  "$PATH_ENV" 'ENV LANG=C.UTF-8' 'CMD ["java", "-version"]'
build relay-base/redis:bookworm redis-server \
  "$PATH_ENV" 'CMD ["redis-server"]'
build relay-base/haproxy:bookworm haproxy \
  "$PATH_ENV" 'CMD ["haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg"]'
