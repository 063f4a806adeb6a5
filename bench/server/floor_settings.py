"""SSOZ's own settings with the floor pages of the benchmarks added: only the benchmark's
server loads this; SSOZ itself has no such pages."""

from ssoz.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
