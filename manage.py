#!/usr/bin/env python
import sys

from ssoz.manage import main

if __name__ == "__main__":
    sys.exit(main())
