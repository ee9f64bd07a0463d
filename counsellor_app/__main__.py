import sys

from counsellor_app.cli import main

sys.exit(main())
