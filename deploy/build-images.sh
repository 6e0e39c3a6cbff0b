#!/usr/bin/env bash
# Builds Panel's five container images with the .NET SDK (no Dockerfile):
#   panel-membership, panel-surveys, panel-feedback, panel-reporting, panel-gateway
# on the ASP.NET Core runtime base image, running as its non-root user "app" (uid 1654),
# listening on 8080.
#
# Usage: deploy/build-images.sh [TAG]
#   TAG               image tag; default: the git commit (short), or "dev"
# Environment:
#   REGISTRY          push there, e.g. registry.example.org/panel (host[:port][/path]); login first
#                     (docker login, or the SDK's DOTNET_CONTAINER_REGISTRY_UNAME/_PWORD)
#   ARCHIVE_DIR       write <image>.tar.gz files there instead (for scanning, or an engine-less
#                     machine; load with "docker load -i")
#   (neither)         load into the local Docker or Podman engine; without one, ARCHIVE_DIR
#                     defaults to artifacts/images
#   CONTAINER_FAMILY  base image variant, e.g. noble-chiseled-extra (no shell: fine for Kubernetes,
#                     but the compose healthchecks need bash, so keep the default there)
#   ARCH              x64 (default) or arm64
# The base image is pulled from mcr.microsoft.com, so the machine needs to reach it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tag="${1:-${TAG:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo dev)}}"
arch="${ARCH:-x64}"

# image name -> project
images=(
  "membership:services/Membership/Panel.Membership/Panel.Membership.csproj"
  "surveys:services/Surveys/Panel.Surveys/Panel.Surveys.csproj"
  "feedback:services/Feedback/Panel.Feedback/Panel.Feedback.csproj"
  "reporting:services/Reporting/Panel.Reporting/Panel.Reporting.csproj"
  "gateway:gateway/Panel.Gateway/Panel.Gateway.csproj"
)

# Where the images go: a registry, tar.gz archives, or the local engine.
destination=()
repo_prefix=""
archive_dir="${ARCHIVE_DIR:-}"
if [[ -n "${REGISTRY:-}" ]]; then
  registry_host="${REGISTRY%%/*}"
  if [[ "$REGISTRY" == */* ]]; then
    repo_prefix="${REGISTRY#*/}/"
  fi
  destination=(-p:ContainerRegistry="$registry_host")
  where="pushed to $REGISTRY"
elif [[ -z "$archive_dir" ]] && ! { docker info >/dev/null 2>&1 || podman info >/dev/null 2>&1; }; then
  archive_dir="$root/artifacts/images"
  echo "No Docker or Podman engine answers: writing archives to $archive_dir"
fi
if [[ -z "${REGISTRY:-}" && -n "$archive_dir" ]]; then
  mkdir -p "$archive_dir"
  archive_dir="$(cd "$archive_dir" && pwd)"
  where="written to $archive_dir"
elif [[ -z "${REGISTRY:-}" ]]; then
  where="loaded into the local container engine"
fi

family=()
if [[ -n "${CONTAINER_FAMILY:-}" ]]; then
  family=(-p:ContainerFamily="$CONTAINER_FAMILY")
fi

for entry in "${images[@]}"; do
  name="${entry%%:*}"
  project="$root/${entry#*:}"
  repository="${repo_prefix}panel-$name"

  output=()
  if [[ -z "${REGISTRY:-}" && -n "$archive_dir" ]]; then
    output=(-p:ContainerArchiveOutputPath="$archive_dir/panel-$name.tar.gz")
  fi

  echo "==> $repository:$tag ($project)"
  dotnet publish "$project" -c Release --os linux --arch "$arch" -t:PublishContainer \
    -p:ContainerRepository="$repository" \
    -p:ContainerImageTag="$tag" \
    "${family[@]}" "${destination[@]}" "${output[@]}" \
    --nologo
done

echo "Built panel-{membership,surveys,feedback,reporting,gateway}:$tag, $where."
