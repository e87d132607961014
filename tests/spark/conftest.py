"""One local Spark for the tests of this folder: ``local[2]``, small memory, no UI, bound to
127.0.0.1 (no network). Skipped, with the reason, without PySpark or a Java runtime."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="needs PySpark: pip install 'guidekit[spark]'")

SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.memory": "512m",
    "spark.executor.memory": "512m",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.python.worker.reuse": "true",
}


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(home and os.path.exists(os.path.join(home, "bin", "java"))) or bool(
        shutil.which("java")
    )


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if not _java():
        pytest.skip("needs a Java runtime for Spark (.ci/run installs default-jre-headless)")
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("guidekit-tests")
    for key, value in SETTINGS.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
