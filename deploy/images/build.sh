#!/usr/bin/env bash
# Builds Microshop's container images here, with podman and no image registry, then runs a smoke
# journey against them (product + inventory + storefront: a product page shows its stock).
#
#   deploy/images/build.sh                      # every image, then the smoke journey
#   deploy/images/build.sh product storefront   # just these (the smoke needs product, inventory, storefront)
#   SMOKE=0 deploy/images/build.sh              # build only
#
# Needs (Debian): apt-get install -y podman runc mmdebstrap. Not part of `pnpm test`.
#
# 1. The base image comes from mmdebstrap: Debian trixie minbase with Debian's Node 20 (the project
#    needs >= 20.19), a non-root user (10001), no docs, no apt lists.
# 2. Each app is built on this machine (turbo), then `pnpm deploy --prod` copies its package with its
#    own production dependencies only (workspace packages are bundled by tsup, or transpiled by Next).
#    Building inside a container would need a registry for native binaries (better-sqlite3) that this
#    machine cannot reach; the store here already holds them built.
# 3. deploy/images/Dockerfile slims that copy and makes the runtime image (target `service` or `next`).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${MICROSHOP_IMAGE_WORK:-$(mktemp -d -t microshop-images.XXXXXX)}
base_image=localhost/microshop/base:trixie
tag=${MICROSHOP_IMAGE_TAG:-dev}
# The flags podman needs on this kind of machine (no systemd, no journald, a low default ulimit).
podman_flags=(--runtime runc --cgroup-manager=cgroupfs --events-backend=file)
ulimits=(--ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
pm() { podman "${podman_flags[@]}" "$@"; }
now() { date +%s.%N; }
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }
log() { printf '[images] %s\n' "$*" >&2; }

# name -> package, target, port, health route
declare -A package=(
  [product]=@microshop/product-service [inventory]=@microshop/inventory-service [cart]=@microshop/cart-service
  [order]=@microshop/order-service [payment]=@microshop/payment-service [email]=@microshop/email-service
  [user]=@microshop/user-service [telemetry]=@microshop/telemetry-service
  [storefront]=@microshop/storefront [dashboard]=@microshop/dashboard
)
declare -A port=(
  [product]=4001 [inventory]=4002 [cart]=4003 [order]=4004 [payment]=4005 [email]=4006 [user]=4007
  [telemetry]=4318 [storefront]=3000 [dashboard]=3001
)
target_of() { case $1 in storefront | dashboard) echo next ;; *) echo service ;; esac; }
health_of() { case $1 in storefront | dashboard) echo /api/health ;; *) echo /healthz ;; esac; }
dir_of() { case $1 in storefront | dashboard) echo "apps/$1" ;; *) echo "apps/services/$1" ;; esac; }

apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(product inventory cart order payment email user telemetry storefront dashboard)
for app in "${apps[@]}"; do [ -n "${package[$app]:-}" ] || { log "unknown app: $app"; exit 64; }; done

build_base() {
  if [ "${REBUILD_BASE:-0}" != 1 ] && pm image exists "$base_image"; then return; fi
  log "base image: mmdebstrap trixie + nodejs"
  local start tar="$work/base.tar"
  start=$(now)
  mmdebstrap --variant=minbase --include=nodejs,ca-certificates \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --customize-hook='chroot "$1" useradd --uid 10001 --user-group --no-create-home --home-dir /app --shell /usr/sbin/nologin microshop' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
    --format=tar trixie "$tar" http://deb.debian.org/debian
  pm import --change 'CMD ["node"]' "$tar" "$base_image" >/dev/null
  rm -f "$tar"
  log "base image built in $(since "$start") s: $(pm run --rm "${ulimits[@]}" "$base_image" node --version)"
}

# The image context of one app: its `pnpm deploy --prod` copy plus its build output.
prepare() {
  local app=$1 ctx="$work/$1" dir
  dir=$(dir_of "$app")
  rm -rf "$ctx" && mkdir -p "$ctx"
  (cd "$repo" && pnpm turbo run build --filter="${package[$app]}" --output-logs=errors-only >/dev/null)
  (cd "$repo" && pnpm --filter "${package[$app]}" deploy --legacy --prod "$ctx/app" >/dev/null)
  if [ "$(target_of "$app")" = next ]; then
    # .next is gitignored, so pnpm deploy leaves it out; the build cache is not needed to serve.
    mkdir -p "$ctx/app/.next"
    (cd "$repo/$dir/.next" && tar --exclude=./cache -cf - .) | tar -xf - -C "$ctx/app/.next"
    # The app's own production server, if it has one (the storefront's dist/server.js), likewise.
    if [ -d "$repo/$dir/dist" ]; then rm -rf "$ctx/app/dist" && cp -r "$repo/$dir/dist" "$ctx/app/dist"; fi
    # Turbopack links the packages it leaves external into the workspace's store, two levels above
    # the app (the image keeps that shape: see the Dockerfile); each must be in the deployed copy.
    local link target
    for link in "$ctx/app/.next/node_modules"/* "$ctx/app/.next/node_modules"/@*/*; do
      [ -L "$link" ] || continue
      target=$(readlink "$link")
      [ -e "$ctx/app/node_modules/.pnpm/${target#*node_modules/.pnpm/}" ] || { log "$app: ${target#*node_modules/.pnpm/} is not in the deployed copy"; exit 1; }
    done
  elif [ -d "$repo/$dir/prisma" ]; then
    # `prisma migrate deploy` in the image: the CLI (only a peer of @prisma/client there) and the
    # shared Prisma config its prisma.config.ts imports (a dev dependency, plain JavaScript).
    local cli
    cli=$(cd "$ctx/app/node_modules/.pnpm" && ls -d prisma@*/node_modules/prisma | head -n 1)
    ln -s ".pnpm/$cli" "$ctx/app/node_modules/prisma"
    mkdir -p "$ctx/app/node_modules/@microshop/build-config"
    cp "$repo"/tooling/build-config/{package.json,prisma.js,postgres-schema.js} "$ctx/app/node_modules/@microshop/build-config/"
  fi
}

build_image() {
  local app=$1 start
  start=$(now)
  prepare "$app"
  # Docker format: the OCI image format has no HEALTHCHECK.
  pm build "${ulimits[@]}" --format docker --quiet -f "$repo/deploy/images/Dockerfile" --target "$(target_of "$app")" \
    --build-arg BASE="$base_image" --build-arg PORT="${port[$app]}" --build-arg HEALTH_PATH="$(health_of "$app")" \
    -t "localhost/microshop/$app:$tag" "$work/$app" >/dev/null
  rm -rf "${work:?}/$app"
  log "$app: built in $(since "$start") s, $(pm image inspect --format '{{.Size}}' "localhost/microshop/$app:$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
}

# ----- smoke journey ---------------------------------------------------------------------------
# Host networking on shifted ports (14001, 14002, 13000): other stacks on this machine keep theirs.
smoke_containers=()
cleanup() { for name in "${smoke_containers[@]}"; do pm rm -f "$name" >/dev/null 2>&1 || true; done; }

wait_ready() {
  local name=$1 url=$2 start=$3
  for _ in $(seq 1 600); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then
      log "$name: ready in $(since "$start") s"
      return 0
    fi
    if [ "$(pm inspect --format '{{.State.Running}}' "smoke-$name" 2>/dev/null)" != true ]; then
      pm logs "smoke-$name" | tail -n 20 >&2
      log "$name exited before it was ready"
      return 1
    fi
    sleep 0.2
  done
  pm logs "smoke-$name" | tail -n 20 >&2
  log "$name: not ready after 120 s"
  return 1
}

smoke() {
  trap cleanup EXIT
  local keys="$work/keys" data="$work/data"
  mkdir -p "$keys" "$data/product" "$data/inventory"
  chown -R 10001:10001 "$data"
  SERVICE_TOKEN_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
    pnpm --dir "$repo/deploy" exec tsx src/env-files.ts "$keys" product inventory storefront
  local common=(--network host "${ulimits[@]}" -e HOST=127.0.0.1 -e OTEL_SDK_DISABLED=true)
  for app in product inventory; do
    local app_port=$((port[$app] + 10000)) start
    local db=(-v "$data/$app:/data" -e DATA_DIR=/data -e "DATABASE_URL=file:/data/$app.db")
    start=$(now)
    pm run --rm --no-healthcheck "${common[@]}" "${db[@]}" "localhost/microshop/$app:$tag" node node_modules/prisma/build/index.js migrate deploy >/dev/null
    log "$app: migrated in $(since "$start") s"
    smoke_containers+=("smoke-$app")
    start=$(now)
    pm run -d --name "smoke-$app" "${common[@]}" "${db[@]}" --env-file "$keys/$app.env" -e "PORT=$app_port" \
      "localhost/microshop/$app:$tag" >/dev/null
    wait_ready "$app" "http://127.0.0.1:$app_port/readyz" "$start"
  done
  # Services the journey does not start point at a closed port, never at another stack's.
  local closed=http://127.0.0.1:9/trpc start
  smoke_containers+=(smoke-storefront)
  start=$(now)
  pm run -d --name smoke-storefront "${common[@]}" --env-file "$keys/storefront.env" -e PORT=13000 -e COOKIE_SECURE=false \
    -e PRODUCT_SERVICE_URLS=http://127.0.0.1:14001/trpc -e INVENTORY_SERVICE_URLS=http://127.0.0.1:14002/trpc \
    -e CART_SERVICE_URLS=$closed -e ORDER_SERVICE_URLS=$closed -e USER_SERVICE_URLS=$closed -e EMAIL_SERVICE_URLS=$closed \
    "localhost/microshop/storefront:$tag" >/dev/null
  wait_ready storefront http://127.0.0.1:13000/api/health "$start"

  local home page slug badge
  home=$(curl -fsS http://127.0.0.1:13000/)
  slug=$(grep -o 'href="/p/[a-z0-9-]*"' <<<"$home" | head -n 1 | sed 's|href="/p/||; s|"||')
  [ -n "$slug" ] || { log "smoke: the home page links no product"; return 1; }
  page=$(curl -fsS "http://127.0.0.1:13000/p/$slug")
  badge=$(grep -o 'data-testid="stock-status" data-status="[a-z_-]*"' <<<"$page" | head -n 1 || true)
  case $badge in
    *'data-status="in_stock"'* | *'data-status="low"'* | *'data-status="out_of_stock"'*) log "smoke: /p/$slug shows its stock ($badge)" ;;
    *) log "smoke: /p/$slug shows no stock from inventory (${badge:-no badge})"; return 1 ;;
  esac
  for name in product inventory storefront; do
    log "$name: healthcheck $(pm healthcheck run "smoke-$name" >/dev/null 2>&1 && echo healthy || echo unhealthy)"
  done
}

build_base
for app in "${apps[@]}"; do build_image "$app"; done
if [ "${SMOKE:-1}" = 1 ]; then smoke; fi
log "done; work folder $work"
