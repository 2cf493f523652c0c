from ohinspect.cli import main

raise SystemExit(main())
