"""The script-run notebook's cell that can send ``script.py`` to a Dask cluster.

Used when this package is not installed (with it, ``tracking.run_script`` runs the script on
the cluster as a tracked run): the cell ships the folder's Python files and the run's data
snapshot to a worker, runs the script there and brings its outputs back into ``outputs/``.
"""

DASK_CELL = """
import os

# The address of a Dask scheduler (e.g. "tcp://10.0.0.5:8786") runs script.py on that
# cluster; by default the DASK_SCHEDULER environment variable's, else None (run it here).
DASK_SCHEDULER = os.environ.get("DASK_SCHEDULER") or None


def run_script_on_worker(sources, data, data_name):
    \"\"\"On a Dask worker: run script.py in a scratch folder and return its outputs.\"\"\"
    import os
    import pathlib
    import socket
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(scratch)
        for name, text in sources.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / data_name).write_bytes(data)
        command = ["script.py", "--data", data_name, "--output-dir", "outputs"]
        process = subprocess.run(
            [sys.executable, *command], check=False, cwd=folder, capture_output=True, text=True
        )
        outputs = folder / "outputs"
        files = {}
        if outputs.is_dir():
            files = {path.name: path.read_bytes() for path in outputs.iterdir()}
    return {
        "returncode": process.returncode,
        "stderr": process.stderr,
        "files": files,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }


def run_on_dask(address):
    \"\"\"Send script.py and the run's data snapshot to the cluster; save the outputs here.\"\"\"
    import hashlib

    try:
        from dask.distributed import Client
    except ImportError:
        raise ImportError(
            "running script.py on a Dask cluster needs dask.distributed: "
            "pip install 'dask[distributed]'"
        ) from None

    spec = importlib.util.spec_from_file_location("script_paths", Path("script.py").resolve())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    data_path = Path(module.DATA_PATH)
    data = data_path.read_bytes()
    if hashlib.sha256(data).hexdigest() != module.DATA_SHA256:
        raise RuntimeError(f"{data_path} is not the run's data snapshot (SHA-256 differs)")
    sources = {path.name: path.read_text(encoding="utf-8") for path in Path(".").glob("*.py")}
    with Client(address) as client:
        future = client.submit(
            run_script_on_worker, sources, data, "data" + data_path.suffix, pure=False
        )
        result = future.result()
    if result["returncode"] != 0:
        print(result["stderr"])
        raise RuntimeError(f"script.py exited with {result['returncode']} on the cluster")
    Path("outputs").mkdir(exist_ok=True)
    for name, content in result["files"].items():
        (Path("outputs") / name).write_bytes(content)
    print(f"Ran script.py on the Dask cluster at {address} (worker process {result['worker']})")
    return result
"""
