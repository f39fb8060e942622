#!/usr/bin/env bash
# Runs a command from this repository inside a Debian 11 (bullseye, glibc 2.31) root file system with OpenJDK 17:
#   .ci/portability/debian11-chroot.sh OUT_DIR 'COMMAND'
# COMMAND runs with bash in the repository root, as root, in a chroot where the repository and ~/.m2 are mounted
# read-only at their host paths (bin/mambair's job/target/classpath.txt then resolves) and OUT_DIR read-write.
# The root file system is built once with debootstrap from the Debian mirror this host's apt uses, and cached as
# ${MAMBAIR_CACHE:-$HOME/.cache/mambair}/debian11-openjdk17.tar. Mounts live in a private mount namespace.
# Exit 77 (with "SKIP: reason" on stderr) when this machine cannot do it: not root, no debootstrap, no mounts.
set -euo pipefail

out_dir="$(realpath "$1")"
command="$2"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
m2="${MAVEN_REPO:-$HOME/.m2}"
cache="${MAMBAIR_CACHE:-$HOME/.cache/mambair}"
tarball="$cache/debian11-openjdk17.tar"

skip() { echo "SKIP: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "the Debian 11 chroot test needs root (chroot, mount)"
command -v unshare >/dev/null || skip "no unshare (util-linux) to mount privately"
unshare --mount --propagation private true 2>/dev/null || skip "this machine does not allow a private mount namespace"

# The first Debian archive URI of the host's apt sources that is not the security archive.
host_mirror() {
  local uri
  uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v -e security | head -n 1 || true)"
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri="$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
      /etc/apt/sources.list)"
  fi
  echo "$uri"
}

if [ ! -f "$tarball" ]; then
  command -v debootstrap >/dev/null || skip "no debootstrap to build the Debian 11 root file system"
  mirror="$(host_mirror)"
  [ -n "$mirror" ] || skip "no Debian mirror in this host's apt sources"
  build="$(mktemp -d)"
  trap 'rm -rf "$build"' EXIT
  echo "[debian11] debootstrap bullseye with openjdk-17-jre-headless (cached afterwards in $tarball)" >&2
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bullseye "$build/root" "$mirror" > "$build/log" 2>&1 ||
    { tail -n 20 "$build/log" >&2; echo "debootstrap failed" >&2; exit 1; }
  rm -rf "$build/root/var/cache/apt/archives/"*.deb
  mkdir -p "$cache"
  tar -C "$build/root" -cf "$tarball.tmp" .  # uncompressed: extracting it is disk-bound, not CPU-bound
  mv "$tarball.tmp" "$tarball"
  rm -rf "$build"
  trap - EXIT
fi

root="$(mktemp -d)"
trap 'rm -rf --one-file-system "$root"' EXIT
tar -C "$root" -xf "$tarball"
printf '127.0.0.1 localhost %s\n' "$(hostname)" > "$root/etc/hosts"
mkdir -p "$root$repo" "$root$m2" "$root$out_dir" "$root/proc" "$root/dev" "$root/tmp"

# In a private mount namespace: nothing stays mounted on the host when it ends.
unshare --mount --propagation private bash -euo pipefail -c '
  root="$1" repo="$2" m2="$3" out="$4" command="$5"
  ro() { mount --bind "$1" "$root$1"; mount -o remount,bind,ro "$root$1"; }
  ro "$repo"
  ro "$m2"
  mount --bind "$out" "$root$out"
  mount --rbind /dev "$root/dev"
  mount -t proc proc "$root/proc"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=localhost MAMBAIR_JAVA_OPTS=-Xmx2g \
    /bin/bash -c "cd \"$repo\" && ldd --version | head -n 1 && java -version 2>&1 | head -n 1 && $command"
' chroot-run "$root" "$repo" "$m2" "$out_dir" "$command"
