# VS Code extension (vscode-client/): build, package, unit tests, end-to-end test.
#
#   make vsix          vscode-client/mlflow-upgrade-<version>.vsix, carrying the project's wheel
#   make test-vscode   unit tests (node --test) + the end-to-end test in code-server
#   make vscode-e2e    only the end-to-end test (screenshots in .test-output/vscode-e2e/)
#
# Node 20 and npm come from the machine. The end-to-end test needs Debian's chromium
# (installed with apt when missing and running as root) and code-server + playwright-core,
# which npm installs into vscode-client/e2e/node_modules from its package-lock.json.

VSCODE_DIR := vscode-client
VSCODE_E2E_DIR := $(VSCODE_DIR)/e2e
VSCODE_VERSION := $(shell sed -n 's/^  "version": "\(.*\)",$$/\1/p' $(VSCODE_DIR)/package.json)
PROJECT_VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' pyproject.toml)
VSIX := $(VSCODE_DIR)/mlflow-upgrade-$(VSCODE_VERSION).vsix
VSCODE_SOURCES := $(wildcard $(VSCODE_DIR)/src/*.ts) $(VSCODE_DIR)/package.json $(VSCODE_DIR)/tsconfig.json \
	$(VSCODE_DIR)/README.md $(VSCODE_DIR)/LICENSE $(VSCODE_DIR)/.vscodeignore $(wildcard $(VSCODE_DIR)/images/*.png)
SERVER_SOURCES := pyproject.toml $(shell find server -type f \( -name '*.py' -o -name '*.json' -o -name '*.md' \) \
	-not -path '*/__pycache__/*' 2>/dev/null)
VSCODE_E2E_OUT := .test-output/vscode-e2e
# code-server's dependencies build native modules; npm must not stop to ask, and must find Node's headers.
VSCODE_E2E_NPM_ENV := npm_config_unsafe_perm=true npm_config_yes=true \
	$(if $(wildcard /usr/include/node/node.h),npm_config_nodedir=/usr)
# @vscode/ripgrep's postinstall downloads rg unless its cache in TMPDIR already holds it: seed it with Debian's rg.
VSCODE_RG_CACHE := $(VSCODE_E2E_DIR)/.tmp/vscode-ripgrep-cache-1.15.11
VSCODE_RG_TARBALL := $(VSCODE_RG_CACHE)/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

TEST_TARGETS += test-vscode

.PHONY: vsix vscode-build vscode-unit vscode-e2e vscode-e2e-deps vscode-system-deps test-vscode

test-vscode: vscode-unit vscode-e2e

vsix: $(VSIX)

$(VSCODE_DIR)/node_modules/.installed: $(VSCODE_DIR)/package-lock.json
	cd $(VSCODE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

vscode-build: $(VSCODE_DIR)/dist/extension.js

$(VSCODE_DIR)/dist/extension.js: $(VSCODE_SOURCES) $(VSCODE_DIR)/node_modules/.installed
	cd $(VSCODE_DIR) && npm run --silent typecheck && npm run --silent build -- --log-level=warning

# Unit tests of the extension's own logic; one of them installs the bundled wheel into a fresh venv.
vscode-unit: $(VSCODE_DIR)/node_modules/.installed $(VSCODE_DIR)/bundled/.built
	cd $(VSCODE_DIR) && npm test --silent

# The project's own wheel, which the extension installs into the user's Python with one click.
$(VSCODE_DIR)/bundled/.built: $(SERVER_SOURCES) | install
	rm -rf $(VSCODE_DIR)/bundled && mkdir -p $(VSCODE_DIR)/bundled
	$(UV) build -q --python $(BIN)/python --wheel --out-dir $(VSCODE_DIR)/bundled .
	touch $@

$(VSIX): $(VSCODE_DIR)/dist/extension.js $(VSCODE_DIR)/bundled/.built
	@test "$(VSCODE_VERSION)" = "$(PROJECT_VERSION)" || { echo "vscode-client/package.json has version \
	  $(VSCODE_VERSION) but pyproject.toml has $(PROJECT_VERSION); they must match" >&2; exit 1; }
	rm -f $(VSCODE_DIR)/*.vsix
	cd $(VSCODE_DIR) && npx vsce package --no-dependencies --allow-missing-repository \
	  --no-rewrite-relative-links -o $(notdir $@)

# Debian packages for the end-to-end test: Chromium, plus what code-server's native modules need.
vscode-system-deps:
	@missing=""; \
	test -x /usr/lib/chromium/chromium || missing="$$missing chromium"; \
	command -v rg >/dev/null || missing="$$missing ripgrep"; \
	test -e /usr/include/gssapi/gssapi.h || missing="$$missing libkrb5-dev"; \
	command -v g++ >/dev/null && command -v make >/dev/null || missing="$$missing build-essential"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing$$missing with apt-get"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else \
	    echo "The VS Code end-to-end test needs these Debian packages:$$missing (apt-get install$$missing)" >&2; \
	    exit 1; \
	  fi; \
	fi

$(VSCODE_RG_TARBALL): | vscode-system-deps
	mkdir -p $(VSCODE_RG_CACHE) $(VSCODE_E2E_DIR)/.tmp/rg
	cp "$$(command -v rg)" $(VSCODE_E2E_DIR)/.tmp/rg/rg
	tar -czf $@ -C $(VSCODE_E2E_DIR)/.tmp/rg rg

$(VSCODE_E2E_DIR)/node_modules/.installed: $(VSCODE_E2E_DIR)/package-lock.json $(VSCODE_RG_TARBALL)
	cd $(VSCODE_E2E_DIR) && TMPDIR=$(CURDIR)/$(VSCODE_E2E_DIR)/.tmp $(VSCODE_E2E_NPM_ENV) \
	  npm ci --no-audit --no-fund --loglevel=error
	touch $@

vscode-e2e-deps: vscode-system-deps $(VSCODE_E2E_DIR)/node_modules/.installed

vscode-e2e: $(VSIX) vscode-e2e-deps install
	VSIX=$(VSIX) E2E_OUT=$(VSCODE_E2E_OUT) UV=$(UV) DEV_PYTHON=$(BIN)/python \
	  timeout 600 node $(VSCODE_E2E_DIR)/run.mjs

# Refresh the README's screenshots from the last end-to-end run.
VSCODE_README_SHOTS := install diagnostics notebook hover quickfix fixed
.PHONY: vscode-screenshots
vscode-screenshots:
	mkdir -p $(VSCODE_DIR)/images
	for name in $(VSCODE_README_SHOTS); do \
	  cp "$$(ls $(VSCODE_E2E_OUT)/screenshots/*-$$name.png | tail -1)" $(VSCODE_DIR)/images/$$name.png || exit 1; \
	done
