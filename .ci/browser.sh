# Sourced by .ci/run: Debian's Chromium (and CJK fonts, so screenshots of
# Chinese and Japanese text are legible) for the explorer's browser test.
ensure_browser() {
	if ! [ -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq chromium fonts-noto-cjk
	fi
}
