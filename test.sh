#!/usr/bin/env bash
# The README's test command: installs what the tests need (Debian packages, once), then runs every test.
# Extra arguments go to Maven, e.g. ./test.sh -o -Dit.test=OpsIT. Decision D70.
set -euo pipefail
cd "$(dirname "$0")"

# dcmtk/dicom3tools/PixelMed: differential tests of the reader; orthanc(+dicomweb): the DICOMweb source's ITs;
# socat/iproute2: network fault tests; postgresql: the journal's PostgreSQL IT; chromium + chromium-driver: the web
# console's browser test; maven + JDK 17 in case the machine lacks them
PACKAGES=(dcmtk dicom3tools libpixelmed-java orthanc orthanc-dicomweb socat iproute2 postgresql chromium
    chromium-driver maven openjdk-17-jdk-headless)

# where the Debian packages' service scripts are
SERVICE_SCRIPTS=/etc/init.d

# prints the packages of PACKAGES that dpkg does not report as installed, one per line
missing_packages() {
    local package
    for package in "${PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
            echo "$package"
        fi
    done
}

# installs the missing packages only: a machine that has them all runs no apt-get at all
install_prerequisites() {
    local missing
    missing=$(missing_packages)
    if [ -z "$missing" ]; then
        return 0
    fi
    echo "test.sh: installing $(echo $missing)" >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    # shellcheck disable=SC2086
    $sudo apt-get install -y -q --no-install-recommends $missing
    # the Debian orthanc and postgresql packages may start system services; the tests start their own instances
    local service
    for service in orthanc postgresql; do
        if command -v systemctl >/dev/null 2>&1; then $sudo systemctl stop "$service" >/dev/null 2>&1 || true; fi
        if [ -x "$SERVICE_SCRIPTS/$service" ]; then $sudo "$SERVICE_SCRIPTS/$service" stop >/dev/null 2>&1 || true; fi
    done
}

# sourced by TestScriptTest: define the functions only
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    return 0
fi

install_prerequisites
exec mvn -B verify "$@"
