"""Checks of the GitHub Actions workflows and the issue/PR templates in .github/.

Two linters run over the files and must report nothing:

* actionlint over .github/workflows/*.yml (syntax, expressions, job graph and,
  where shellcheck is installed, the shell scripts of `run:` steps);
* zizmor --offline over .github/ (template injection, credentials persisted by
  checkout, excessive permissions, unpinned actions, dangerous triggers, ...).

Both are found next to the running interpreter first (the project's .venv/bin,
where `make test` installs them from requirements-dev.txt), then on PATH.

Beside the linters, a few project rules are checked on the parsed YAML: every
action is pinned to a full commit SHA with a version comment, no workflow uses
`pull_request_target`, and CI has read-only permissions and runs `make test`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB_DIR = ROOT / ".github"
WORKFLOW_DIR = GITHUB_DIR / "workflows"
ISSUE_TEMPLATE_DIR = GITHUB_DIR / "ISSUE_TEMPLATE"
WORKFLOW_FILES = sorted([*WORKFLOW_DIR.glob("*.yml"), *WORKFLOW_DIR.glob("*.yaml")])
CI_WORKFLOW = WORKFLOW_DIR / "ci.yml"
DEPLOY_WORKFLOW = WORKFLOW_DIR / "deploy.yml"
# The canary (every hook's mark) and, in the same command, the zero-third-party check (edition/site/third_party.py).
SITE_CHECK = re.compile(r"^(?:\S*/)?python3?\s+-m\s+edition\.outputs\.canary\s+site$")
SITE_BUILDS = ("make build", "make pdf")
# The deploy's upload to Pages, and CI's preview for the pull request: both only after the site check.
SITE_UPLOADS = ("actions/upload-pages-artifact@", "actions/upload-artifact@")

SHA_REF = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
# `uses: owner/repo@<40 hex> # vX.Y.Z` on one line, as the project writes it.
PINNED_LINE = re.compile(
    r"""^\s*(?:-\s+)?uses:\s*["']?(?P<ref>[^\s"'#]+)["']?"""
    r"""(?:\s+#\s*(?P<comment>\S.*?))?\s*$"""
)
VERSION_COMMENT = re.compile(r"^v\d+\.\d+\.\d+\b")
LINT_TIMEOUT = 300  # seconds


# --------------------------------------------------------------------------
# helpers


def find_tool(name: str) -> str:
    """Path of `name`: next to sys.executable (the venv's bin dir), else PATH."""
    bin_dir = Path(sys.executable).parent  # not resolved: keep the venv's bin
    for candidate in (bin_dir / name, bin_dir / f"{name}.exe"):
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    pytest.fail(
        f"`{name}` was found neither next to {sys.executable} nor on PATH. "
        f"`make test` installs it into the project's .venv from "
        f"requirements-dev.txt; run `make test`, or install the pinned "
        f"requirements-dev.txt into the interpreter running pytest.",
        pytrace=False,
    )


def run_tool(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.run(
        args,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=LINT_TIMEOUT,
        check=False,
    )


def tool_report(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"command: {' '.join(proc.args)}\n"
        f"exit code: {proc.returncode}\n"
        f"--- stdout ---\n{proc.stdout}\n"
        f"--- stderr ---\n{proc.stderr}"
    )


def load_yaml(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def triggers(workflow: dict) -> set[str]:
    """Event names of a workflow's `on:` (PyYAML reads a bare `on` key as True)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on}
    if isinstance(on, list):
        return {str(event) for event in on}
    if isinstance(on, dict):
        return {str(event) for event in on}
    return set()


def all_uses(workflow: dict) -> list[tuple[str, str]]:
    """(where, ref) for every `uses:` of the workflow: steps and reusable-workflow jobs."""
    found = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        if "uses" in job:
            found.append((f"jobs.{job_id}.uses", str(job["uses"])))
        for index, step in enumerate(job.get("steps") or []):
            if "uses" in step:
                found.append((f"jobs.{job_id}.steps[{index}].uses", str(step["uses"])))
    return found


def run_scripts(workflow: dict) -> list[str]:
    return [
        str(step["run"])
        for job in (workflow.get("jobs") or {}).values()
        for step in (job.get("steps") or [])
        if "run" in step
    ]


def is_local_or_docker(ref: str) -> bool:
    return ref.startswith(("./", "docker://"))


# --------------------------------------------------------------------------
# linters


def test_workflow_files_exist():
    names = {path.name for path in WORKFLOW_FILES}
    assert {"ci.yml", "deploy.yml", "linkcheck.yml"} <= names, names


def test_actionlint_reports_nothing():
    actionlint = find_tool("actionlint")
    proc = run_tool([actionlint, "-no-color", *(str(p.relative_to(ROOT)) for p in WORKFLOW_FILES)])
    assert proc.returncode == 0 and not proc.stdout.strip(), "actionlint reported problems:\n" + tool_report(proc)


def test_zizmor_reports_nothing():
    zizmor = find_tool("zizmor")
    proc = run_tool(
        [
            zizmor,
            "--offline",
            "--no-progress",
            "--color=never",
            "--format=plain",
            str(GITHUB_DIR.relative_to(ROOT)),
        ]
    )
    # zizmor exits 0 only when nothing was found; 10-14 mean findings of
    # some severity, anything else an error of zizmor itself.
    assert proc.returncode == 0, "zizmor reported findings or failed:\n" + tool_report(proc)
    assert "No findings to report" in proc.stdout + proc.stderr, (
        "zizmor exited 0 but did not say it found nothing:\n" + tool_report(proc)
    )


# --------------------------------------------------------------------------
# project rules, checked on the parsed YAML


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_sha(path: Path):
    workflow = load_yaml(path)
    unpinned = [
        f"{where}: {ref}" for where, ref in all_uses(workflow) if not is_local_or_docker(ref) and not SHA_REF.match(ref)
    ]
    docker_unpinned = [
        f"{where}: {ref}" for where, ref in all_uses(workflow) if ref.startswith("docker://") and "@sha256:" not in ref
    ]
    assert not unpinned + docker_unpinned, (
        f"{path.name}: every `uses:` must name a full 40-hex commit SHA "
        f"(docker images a sha256 digest):\n  " + "\n  ".join(unpinned + docker_unpinned)
    )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_pinned_action_names_its_version(path: Path):
    missing = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        match = PINNED_LINE.match(line)
        if not match or is_local_or_docker(match["ref"]):
            continue
        if not match["comment"] or not VERSION_COMMENT.match(match["comment"]):
            missing.append(f"line {lineno}: {line.strip()}")
    assert not missing, (
        f"{path.name}: a pinned `uses:` needs a `# vX.Y.Z` comment naming the "
        f"release of that SHA:\n  " + "\n  ".join(missing)
    )


def test_pins_agree_across_workflows():
    """One SHA per action release and one release per SHA, in all workflows."""
    versions_of: dict[str, set[str]] = {}
    shas_of: dict[tuple[str, str], set[str]] = {}
    for path in WORKFLOW_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = PINNED_LINE.match(line)
            if not match or not match["comment"] or "@" not in match["ref"]:
                continue
            action, sha = match["ref"].rsplit("@", 1)
            version = match["comment"].split()[0]
            versions_of.setdefault(match["ref"], set()).add(version)
            shas_of.setdefault((action, version), set()).add(sha)
    conflicts = [f"{ref} is labelled {sorted(v)}" for ref, v in versions_of.items() if len(v) > 1]
    conflicts += [
        f"{action} {version} is pinned to {sorted(shas)}"
        for (action, version), shas in shas_of.items()
        if len(shas) > 1
    ]
    assert not conflicts, "inconsistent action pins:\n  " + "\n  ".join(conflicts)


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_pull_request_target(path: Path):
    workflow = load_yaml(path)
    assert "pull_request_target" not in triggers(workflow), (
        f"{path.name} is triggered by pull_request_target, which runs untrusted "
        f"pull-request code with the base repository's secrets and write token"
    )


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_top_level_permissions_are_declared(path: Path):
    workflow = load_yaml(path)
    assert "permissions" in workflow, (
        f"{path.name} has no top-level `permissions:`; without it the token "
        f"gets the repository's default (possibly write-all) permissions"
    )


def test_ci_triggers_and_permissions():
    workflow = load_yaml(CI_WORKFLOW)
    assert {"pull_request", "push"} <= triggers(workflow), triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}, (
        f"ci.yml top-level permissions must be exactly `contents: read`, not {workflow['permissions']!r}"
    )
    for job_id, job in workflow["jobs"].items():
        assert "permissions" not in job, f"ci.yml job {job_id!r} widens the token's permissions"


def job_lines(job: dict) -> list[tuple[int, str]]:
    """(step index, command) for every line of every `run:` of a job, in order."""
    return [
        (index, line.strip())
        for index, step in enumerate(job.get("steps") or [])
        for line in str(step.get("run", "")).splitlines()
        if line.strip()
    ]


@pytest.mark.parametrize("path", [CI_WORKFLOW, DEPLOY_WORKFLOW], ids=lambda p: p.name)
def test_the_last_site_built_is_checked(path: Path):
    """After the last build of a job (`make pdf` builds the site again), the canary and the third-party check
    run on that site, before it is uploaded: a site that fails them is never published, nor offered to preview."""
    checked_jobs = 0
    for job_id, job in load_yaml(path)["jobs"].items():
        lines = job_lines(job)
        builds = [n for n, (_, line) in enumerate(lines) if line in SITE_BUILDS]
        if not builds:
            continue
        checks = [n for n, (_, line) in enumerate(lines) if SITE_CHECK.match(line)]
        assert checks and checks[-1] > builds[-1], (
            f"{path.name} job {job_id!r}: no `python -m edition.outputs.canary site` after its last build: {lines}"
        )
        uploads = [
            index for index, step in enumerate(job["steps"]) if str(step.get("uses", "")).startswith(SITE_UPLOADS)
        ]
        assert all(lines[checks[-1]][0] < upload for upload in uploads), (
            f"{path.name} job {job_id!r}: the site is uploaded before it is checked"
        )
        checked_jobs += 1
    assert checked_jobs, f"{path.name} builds no site"


SETTINGS_CHECK = re.compile(r"^python3?\s+-m\s+edition\.settings$")
READS_MKDOCS_YML = ("make test", "make build", "make pdf", "make serve", "mkdocs")


@pytest.mark.parametrize("path", [CI_WORKFLOW, DEPLOY_WORKFLOW], ids=lambda p: p.name)
def test_mkdocs_yml_is_checked_before_mkdocs_reads_it(path: Path):
    """MkDocs' loader runs Python tags in mkdocs.yml: edition/settings.py's rules run before any command that
    loads it (the tests build the site too)."""
    for job_id, job in load_yaml(path)["jobs"].items():
        lines = [line for _, line in job_lines(job)]
        readers = [n for n, line in enumerate(lines) if line.startswith(READS_MKDOCS_YML)]
        if not readers:
            continue
        checks = [n for n, line in enumerate(lines) if SETTINGS_CHECK.match(line)]
        assert checks and checks[0] < readers[0], (
            f"{path.name} job {job_id!r}: `python -m edition.settings` must run before {lines[readers[0]]!r}"
        )


def test_the_settings_check_installs_the_pinned_pyyaml():
    pinned = re.search(r"^PyYAML==(\S+)$", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.MULTILINE)
    assert pinned
    for path in (CI_WORKFLOW, DEPLOY_WORKFLOW):
        installs = [
            line
            for script in run_scripts(load_yaml(path))
            for line in script.splitlines()
            if "pip install" in line and "PyYAML" in line
        ]
        assert installs and all(f"PyYAML=={pinned.group(1)}" in line for line in installs), (path.name, installs)


def test_the_site_check_is_the_deploys_gate():
    """The step that checks the site has no `continue-on-error`, and the deploy job needs the build job."""
    workflow = load_yaml(DEPLOY_WORKFLOW)
    for job in workflow["jobs"].values():
        for step in job.get("steps") or []:
            if any(SITE_CHECK.match(line.strip()) for line in str(step.get("run", "")).splitlines()):
                assert not step.get("continue-on-error"), step
        assert not job.get("continue-on-error"), job
    assert workflow["jobs"]["deploy"]["needs"] == "build"


def test_ci_runs_make_test_then_make_build():
    commands = [line.strip() for script in run_scripts(load_yaml(CI_WORKFLOW)) for line in script.splitlines()]
    assert "make test" in commands, f"ci.yml never runs `make test`: {commands}"
    assert "make build" in commands, f"ci.yml never runs `make build`: {commands}"
    assert commands.index("make test") < commands.index("make build"), commands


# --------------------------------------------------------------------------
# what a pull request's contributor sees: annotations, the summary, the preview

PROBLEM_MATCHER = GITHUB_DIR / "problem-matchers" / "edition.json"
ADD_MATCHER = re.compile(r'^echo "::add-matcher::(?P<path>[^"]+)"$')
REMOVE_MATCHER = re.compile(r"""^trap 'echo "::remove-matcher owner=(?P<owner>[^":]+)::"' EXIT$""")
# The commands that print the book's problems as `file:line: key: message`, one a line.
PRINTS_PROBLEMS = ("python -m edition.settings", "make check", "make build")


def ci_steps() -> list[dict]:
    return [step for job in load_yaml(CI_WORKFLOW)["jobs"].values() for step in job.get("steps") or []]


def step_lines(step: dict) -> list[str]:
    return [line.strip() for line in str(step.get("run", "")).splitlines() if line.strip()]


def test_the_problem_matcher_is_on_while_the_book_is_checked_and_only_then():
    """Each step that prints the book's problems turns the matcher on before it, and off when it ends (a trap
    on EXIT, which runs when the command fails too); the tests run without it, since pytest prints the
    planted problems of copied books, which are no problems of the pull request."""
    owner = json.loads(PROBLEM_MATCHER.read_text(encoding="utf-8"))["problemMatcher"][0]["owner"]
    printed = set()
    for step in ci_steps():
        lines = step_lines(step)
        adds = [n for n, line in enumerate(lines) if ADD_MATCHER.match(line)]
        removes = [m for line in lines if (m := REMOVE_MATCHER.match(line))]
        for n in adds:
            matched = ADD_MATCHER.match(lines[n])
            assert matched and (ROOT / matched["path"]) == PROBLEM_MATCHER, lines[n]
        assert len(adds) == len(removes) <= 1, f"{step.get('name')}: the matcher is turned on and off once: {lines}"
        assert all(m["owner"] == owner for m in removes), removes
        assert not (adds and "make test" in lines), f"{step.get('name')}: the tests run with the matcher on"
        for n, line in enumerate(lines):
            if line in PRINTS_PROBLEMS:
                assert adds and adds[0] < n, f"{step.get('name')}: {line!r} runs without the problem matcher"
                printed.add(line)
    assert printed == set(PRINTS_PROBLEMS), printed


def test_make_check_is_a_step_of_its_own_before_the_tests():
    steps = ci_steps()
    checks = [n for n, step in enumerate(steps) if "make check" in step_lines(step)]
    tests = [n for n, step in enumerate(steps) if "make test" in step_lines(step)]
    assert len(checks) == 1 and tests and checks[0] < tests[0], (checks, tests)
    assert step_lines(steps[checks[0]])[-1] == "make check"
    assert "if" not in steps[checks[0]] and steps[checks[0]].get("id") == "check"


def test_the_summary_is_written_whatever_failed():
    steps = ci_steps()
    summaries = [n for n, step in enumerate(steps) if "-m edition.outputs.ci_report" in str(step.get("run", ""))]
    assert summaries == [len(steps) - 1], "the summary is the last step, and there is one"
    step = steps[-1]
    assert str(step.get("if", "")).replace(" ", "") in ("always()", "${{always()}}"), step.get("if")
    assert '>> "$GITHUB_STEP_SUMMARY"' in step["run"], "the summary goes to the summary file, not the log"
    assert "${{ steps.check.outcome }}" in (step.get("env") or {}).values()
    assert "${{" not in step["run"], "expressions reach the script through env, never spliced into it"


def test_ci_offers_the_checked_site_to_preview():
    steps = ci_steps()
    (upload,) = [step for step in steps if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] in ("site", "site/"), upload
    assert upload["with"].get("if-no-files-found") == "error", upload
    # The summary names the artifact the upload makes.
    assert f"{upload['with']['name']}=" in steps[-1]["run"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkout_does_not_persist_credentials(path: Path):
    workflow = load_yaml(path)
    offending = []
    for job_id, job in (workflow.get("jobs") or {}).items():
        for index, step in enumerate(job.get("steps") or []):
            checkout = str(step.get("uses", "")).startswith("actions/checkout@")
            if checkout and (step.get("with") or {}).get("persist-credentials") is not False:
                offending.append(f"jobs.{job_id}.steps[{index}]")
    assert not offending, f"{path.name}: actions/checkout without `persist-credentials: false`: {offending}"


# --------------------------------------------------------------------------
# issue forms and the pull-request template

ISSUE_FORMS = sorted(p for p in ISSUE_TEMPLATE_DIR.glob("*.y*ml") if p.stem != "config")
FORM_INPUT_TYPES = {"input", "textarea", "dropdown", "checkboxes"}


def test_issue_forms_exist():
    names = {p.name for p in ISSUE_FORMS}
    assert {"text-error.yml", "annotation-proposal.yml", "broken-link.yml"} <= names, names
    config = load_yaml(ISSUE_TEMPLATE_DIR / "config.yml")
    assert isinstance(config.get("blank_issues_enabled"), bool), config


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_structure(path: Path):
    form = load_yaml(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: missing `{key}`"
    ids, labels = [], []
    for index, element in enumerate(form["body"]):
        kind = element.get("type")
        assert kind in FORM_INPUT_TYPES | {"markdown"}, f"{path.name} body[{index}]: type {kind!r}"
        attributes = element.get("attributes") or {}
        if kind == "markdown":
            assert attributes.get("value"), f"{path.name} body[{index}]: empty markdown"
            continue
        assert element.get("id"), f"{path.name} body[{index}]: a {kind} needs an id"
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element["id"]), element["id"]
        label = attributes.get("label", "")
        # Bilingual: Chinese and English, "中文 / English".
        assert re.search(r"[\u4e00-\u9fff]", label) and re.search(r"[A-Za-z]", label), (
            f"{path.name} body[{index}]: label {label!r} should be in Chinese and English"
        )
        ids.append(element["id"])
        labels.append(label)
        if kind == "dropdown":
            options = attributes.get("options") or []
            assert options and len(options) == len(set(options)), (path.name, options)
        if kind == "checkboxes":
            assert all(o.get("label") for o in attributes.get("options") or []), path.name
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids {ids}"
    assert len(labels) == len(set(labels)), f"{path.name}: duplicate labels {labels}"


def test_annotation_types_are_the_projects_four():
    form = load_yaml(ISSUE_TEMPLATE_DIR / "annotation-proposal.yml")
    (dropdown,) = [e for e in form["body"] if e.get("id") == "type"]
    kinds = [option.split()[0] for option in dropdown["attributes"]["options"]]
    assert kinds == ["context", "later-development", "correction", "translation"], kinds


def test_pull_request_template_checklist():
    text = (GITHUB_DIR / "pull_request_template.md").read_text(encoding="utf-8")
    for needle in ("make check", "make test", "source/emendations.yml", "refs.bib", "CONTRIBUTING.md"):
        assert needle in text, f"pull_request_template.md does not mention {needle!r}"
    assert text.count("- [ ]") >= 6, "the checklist has fewer than six items"
