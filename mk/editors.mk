# Real editors for the end-to-end tests in tests/e2e_editors/ (pytest, mark `e2e`).
#
#   make editors   install Neovim and Emacs + Eglot from Debian when missing (as root)
#
# `make test` runs test-python, which needs the editors: the tests fail under CI
# (CI=true) when an editor is missing, and are skipped elsewhere.

EDITOR_APT_PACKAGES := neovim emacs-nox elpa-eglot elpa-markdown-mode

.PHONY: editors

test-python: editors

editors:
	@missing=""; \
	for package in $(EDITOR_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "The editor end-to-end tests need these Debian packages:$$missing" \
	    "(apt-get install --no-install-recommends$$missing); they are skipped without them" >&2; \
	  exit 0; \
	fi; \
	echo "Installing$$missing with apt-get"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt="apt-get -q -o DPkg::Lock::Timeout=300"; \
	$$apt install -y --no-install-recommends $$missing \
	  || { $$apt update && $$apt install -y --no-install-recommends $$missing; }
