"""A node directory that is a Docker build context: the node is the image its Dockerfile builds.

A folder holding a ``Dockerfile`` beside ``portal-ext.properties`` and stack files is what goes
into an image, not a Liferay home: Liferay sees the files where the Dockerfile's ``COPY``/``ADD``
put them (``/opt/liferay-portal-6.2-ee-sp14/tomcat-7.0.62/webapps/ROOT/WEB-INF/classes/...``), and
files the Dockerfile does not copy are not in the image. The Liferay home is ``LIFERAY_HOME`` from
the Dockerfile, the official images' ``/opt/liferay``, or the folder the configuration is copied to.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from linter.load.deployment import infer_home
from linter.load.dockerfile import OFFICIAL_HOME, is_official_image, parse_dockerfile
from linter.origin import Origin, Problem
from linter.paths import display_path
from linter.sources.env_file import EnvVar
from linter.sources.files import Limits, read_bytes, within
from linter.sources.tree import MountTree, Source

# what a Dockerfile must copy for its image to be read as the node (a Liferay file, not only a script)
_LIFERAY_FILES = (".properties", ".config", ".cfg", ".xml", "setenv.sh", "setenv.bat")


class ImageNode(NamedTuple):
    tree: MountTree
    env: tuple[EnvVar, ...]
    files: tuple[str, ...]  # the Dockerfile
    images: tuple[tuple[str, Origin], ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]


def image_node(directory: Path, limits: Limits) -> ImageNode | None:
    """The image a node directory's Dockerfile builds, when it copies Liferay configuration."""
    dockerfile = directory / "Dockerfile"
    try:
        if not dockerfile.is_file() or not within(dockerfile, directory):
            return None
    except OSError:
        return None
    display = display_path(dockerfile)
    data = read_bytes(dockerfile, display, limits)
    if isinstance(data, Problem):
        return None
    parsed = parse_dockerfile(data.decode("utf-8", errors="replace"), display, directory)
    copies = [c for c in parsed.copies if c.target.endswith(_LIFERAY_FILES) or c.source.is_dir()]
    if not copies:
        return None
    env = {v.name: v.value for v in parsed.env}
    targets = [c.target for c in parsed.copies]
    home = env.get("LIFERAY_HOME") or (OFFICIAL_HOME if is_official_image(parsed.image) else infer_home(targets))
    mounts = [(c.target, Source(host=c.source, host_display=display_path(c.source))) for c in parsed.copies]
    images = ((parsed.image, parsed.image_origin),) if parsed.image and parsed.image_origin else ()
    return ImageNode(MountTree(home, mounts), parsed.env, (display,), images, parsed.problems, parsed.notes)
