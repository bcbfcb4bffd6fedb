from mlflow_upgrade.cli import main

raise SystemExit(main())
