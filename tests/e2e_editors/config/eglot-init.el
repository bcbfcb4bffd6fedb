;;; mlflow-upgrade language server for Emacs 28 or newer with Eglot 1.9 or newer.
;; `mlflow-upgrade' must be on `exec-path' (for example `pipx install mlflow-upgrade').
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((python-mode python-ts-mode) . ("mlflow-upgrade" "lsp"))))

;; Settings under the `mlflowUpgrade' section; also settable per project in .dir-locals.el.
(setq-default eglot-workspace-configuration
              '(:mlflowUpgrade (:unsafeFixes :json-false)))

(add-hook 'python-mode-hook #'eglot-ensure)
