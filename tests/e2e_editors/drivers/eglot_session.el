;;; eglot_session.el --- drive one batch Emacs + Eglot session  -*- lexical-binding: t -*-
;;
;; Run as: emacs --batch -l eglot_session.el
;; Starts up like an interactive Emacs would (package autoloads, then the user's
;; config/eglot-init.el from E2E_CONFIG), then goes through the user's path: open the
;; file, let `eglot-ensure' connect, wait for Flymake diagnostics, hover, quick fix
;; through `eglot-code-actions', fix all, save.  Inputs come from E2E_* environment
;; variables; observations are written as JSON to E2E_REPORT after every step.

(require 'cl-lib)
(require 'json)
(require 'subr-x)

(defvar e2e-report (list (cons 'steps nil)))
(defvar e2e-step-timeout
  (/ (string-to-number (or (getenv "E2E_STEP_TIMEOUT_MS") "20000")) 1000.0))

(defun e2e-put (key value)
  (setf (alist-get key e2e-report) value)
  (e2e-save))

(defun e2e-save ()
  (let ((coding-system-for-write 'utf-8)
        (json-encoding-pretty-print nil))
    (write-region (json-encode e2e-report) nil (getenv "E2E_REPORT") nil 'silent)))

(defun e2e-step (name)
  (e2e-put 'steps (vconcat (alist-get 'steps e2e-report) (list name))))

(defvar e2e-server nil "The Eglot server, once connected.")

(defun e2e-server-dead-p ()
  (and e2e-server (not (jsonrpc-running-p e2e-server))))

(defun e2e-wait (what predicate)
  "Pump process output until PREDICATE is non-nil or the step timeout passes.
A language server that exited ends the wait at once."
  (let ((deadline (+ (float-time) e2e-step-timeout)))
    (while (and (not (funcall predicate)) (not (e2e-server-dead-p))
                (< (float-time) deadline))
      (accept-process-output nil 0.02))
    (cond ((funcall predicate))
          ((e2e-server-dead-p)
           (error "The language server exited while waiting for %s" what))
          (t (error "Timed out after %ss waiting for %s" e2e-step-timeout what)))))

(defun e2e-buffer-text ()
  (buffer-substring-no-properties (point-min) (point-max)))

(defun e2e-diagnostics ()
  (let (out)
    (dolist (d (flymake-diagnostics))
      (let* ((beg (flymake-diagnostic-beg d))
             (end (flymake-diagnostic-end d))
             (lsp (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))))
             (code (plist-get lsp :code)))
        (push `((code . ,(if (numberp code) (number-to-string code) code))
                (source . ,(plist-get lsp :source))
                (type . ,(symbol-name (flymake-diagnostic-type d)))
                (message . ,(flymake-diagnostic-text d))
                ;; 1-based lines, 0-based columns in characters, as Emacs sees them.
                (line . ,(line-number-at-pos beg))
                (col . ,(save-excursion (goto-char beg) (- beg (line-beginning-position))))
                (end_line . ,(line-number-at-pos end))
                (end_col . ,(save-excursion (goto-char end) (- end (line-beginning-position))))
                (text . ,(buffer-substring-no-properties beg end)))
              out)))
    (vconcat (sort out (lambda (a b)
                         (or (< (alist-get 'line a) (alist-get 'line b))
                             (and (= (alist-get 'line a) (alist-get 'line b))
                                  (< (alist-get 'col a) (alist-get 'col b)))))))))

(defvar e2e-publishes 0
  "Diagnostic reports received, so that a wait after an edit sees the server's new answer.")

(defun e2e-count-publish (_server method &rest _)
  (when (eq method 'textDocument/publishDiagnostics)
    (cl-incf e2e-publishes)))

(defun e2e-wait-for-diagnostics (since want what)
  "Wait for a report newer than SINCE with WANT diagnostics; return what is shown.
On a timeout the diagnostics shown are recorded under WHAT before the error."
  (condition-case err
      (progn
        (e2e-wait (format "%d %s" want what)
                  (lambda () (and (> e2e-publishes since)
                                  (= (length (flymake-diagnostics)) want))))
        (e2e-diagnostics))
    (error
     (e2e-put (intern (format "%s_shown" (replace-regexp-in-string " " "_" what)))
              (e2e-diagnostics))
     (signal (car err) (cdr err)))))

(defun e2e-flush ()
  "Send pending didChange now: Eglot sends it from an idle timer, and batch is never idle."
  (eglot--signal-textDocument/didChange))

(defun e2e-code-action (kind beg end choices)
  "Run `eglot-code-actions' for KIND between BEG and END as a user would.
When Eglot offers a menu, answer it with the first of CHOICES (predicates on an
action plist) that matches.  Returns what was offered and chosen."
  (let ((record (list (cons 'offered nil)))
        (tick (buffer-chars-modified-tick)))
    (cl-letf* ((last-nonmenu-event ?\r) ; a keyboard command, so Eglot asks via the minibuffer
               ((symbol-function 'completing-read)
                (lambda (_prompt items &rest _)
                  (setf (alist-get 'offered record)
                        (vconcat (mapcar (lambda (item)
                                           `((title . ,(car item))
                                             (kind . ,(plist-get (cdr item) :kind))))
                                         items)))
                  (or (cl-loop for choose in choices
                               thereis (cl-loop for item in items
                                                when (funcall choose (cdr item))
                                                return (car item)))
                      (error "No offered action fits: %S" (mapcar #'car items))))))
      (let ((real-read (symbol-function 'eglot--read-execute-code-action)))
        (cl-letf (((symbol-function 'eglot--read-execute-code-action)
                   (lambda (actions server &optional action-kind)
                     (setf (alist-get 'offered record)
                           (vconcat (mapcar (lambda (a)
                                              `((title . ,(plist-get a :title))
                                                (kind . ,(plist-get a :kind))))
                                            actions)))
                     (funcall real-read actions server action-kind))))
          (eglot-code-actions beg end kind t))))
    (setf (alist-get 'changed record) (/= tick (buffer-chars-modified-tick)))
    record))

(defun e2e-main ()
  (e2e-step "startup")
  ;; What an interactive startup does before init.el: activate installed packages.
  (package-activate-all)
  (require 'markdown-mode nil t) ; Eglot asks for Markdown hovers only when this is loaded
  (load (getenv "E2E_CONFIG") nil t)
  (with-eval-after-load 'eglot
    (advice-add 'eglot-handle-notification :after #'e2e-count-publish))

  (e2e-step "open")
  (find-file (getenv "E2E_FILE"))
  (e2e-put 'major_mode (symbol-name major-mode))
  ;; `eglot-ensure' connects from `post-command-hook'; end the "command" that opened the file.
  (run-hooks 'post-command-hook)
  (e2e-wait "Eglot to manage the buffer" (lambda () (bound-and-true-p eglot--managed-mode)))
  (let ((server (setq e2e-server (eglot-current-server))))
    (e2e-put 'client `((name . ,(eglot--server-info server))
                       (command . ,(vconcat (process-command (jsonrpc--process server))))))
    (e2e-step "attached")

    (e2e-wait-for-diagnostics 0 (string-to-number (getenv "E2E_DIAGNOSTICS")) "diagnostics")
    (let ((deadline (+ (float-time) 0.3))) ; a late extra report must be noticed
      (while (< (float-time) deadline) (accept-process-output nil 0.02)))
    (let ((diagnostics (e2e-diagnostics))
          (target-line (string-to-number (getenv "E2E_TARGET_LINE")))
          (target-code (getenv "E2E_TARGET_CODE"))
          target)
      (e2e-put 'diagnostics diagnostics)
      (e2e-step "diagnostics")
      ;; What the server resolved for this project (interpreter, encoding, settings).
      (e2e-put 'server_log (eglot-execute-command server 'mlflow-upgrade.showLog []))
      (e2e-step "server_log")
      (setq target (cl-find-if (lambda (d) (and (= (alist-get 'line d) target-line)
                                                (equal (alist-get 'code d) target-code)))
                               diagnostics))
      (unless target (error "No %s diagnostic on line %d" target-code target-line))
      (goto-char (point-min))
      (forward-line (1- target-line))
      (forward-char (alist-get 'col target))

      ;; Hover: what Eglot's ElDoc function renders at point.
      (let (hover)
        (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info ""))))
        (e2e-wait "the hover" (lambda () hover))
        (e2e-put 'hover hover)
        (e2e-step "hover"))

      ;; Quick fix at point, through Eglot's code-action command.
      (let* ((title (getenv "E2E_FIX_TITLE"))
             (before e2e-publishes)
             (record (e2e-code-action
                      "quickfix" (point) nil
                      (list (lambda (a) (string-match-p (regexp-quote title) (plist-get a :title)))
                            (lambda (a) (eq (plist-get a :isPreferred) t)))))
             (want (string-to-number (getenv "E2E_DIAGNOSTICS_AFTER_QUICKFIX"))))
        (unless (alist-get 'changed record) (error "The quick fix did not change the buffer"))
        (e2e-flush)
        (push (cons 'text (e2e-buffer-text)) record)
        (push (cons 'diagnostics
                    (e2e-wait-for-diagnostics before want "diagnostics after the quick fix"))
              record)
        (e2e-put 'quickfix record)
        (e2e-step "quickfix"))

      ;; Fix all: Eglot filters `only' by exact kind, so the full kind is asked for.
      (let* ((kind (getenv "E2E_FIX_ALL_KIND"))
             (before e2e-publishes)
             (record (e2e-code-action kind (point-min) (point-max)
                                      (list (lambda (a) (equal (plist-get a :kind) kind)))))
             (want (string-to-number (getenv "E2E_DIAGNOSTICS_AFTER_FIX_ALL"))))
        (unless (alist-get 'changed record) (error "Fix all did not change the buffer"))
        (e2e-flush)
        (push (cons 'text (e2e-buffer-text)) record)
        (push (cons 'diagnostics
                    (e2e-wait-for-diagnostics before want "diagnostics after fix all"))
              record)
        (e2e-put 'fix_all record)
        (e2e-step "fix_all")))

    (save-buffer)
    (e2e-put 'modified_after_write (if (buffer-modified-p) t :json-false))
    (e2e-step "saved")
    (setq e2e-server nil) ; exiting is expected from here on
    (eglot-shutdown server)
    (e2e-step "done")))

(condition-case err
    (progn (e2e-main) (kill-emacs 0))
  (error
   (e2e-put 'log (mapconcat (lambda (buffer)
                              (format "--- %s ---\n%s" (buffer-name buffer)
                                      (with-current-buffer buffer
                                        (buffer-substring-no-properties
                                         (max (point-min) (- (point-max) 6000)) (point-max)))))
                            (cl-remove-if-not
                             (lambda (b) (string-match-p "EGLOT\\|Messages" (buffer-name b)))
                             (buffer-list))
                            "\n"))
   (e2e-put 'error (error-message-string err))
   (message "e2e failure: %s" (error-message-string err))
   (kill-emacs 1)))
