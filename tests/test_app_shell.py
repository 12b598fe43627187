"""The parts every dashboard shares: texts, registry, landing page, jobs, markup, ``zhengai serve``."""

from __future__ import annotations

from app_world import ctx, small_url  # noqa: F401  (fixtures)

from diagnostics.app import DASHBOARDS, build
from diagnostics.app.i18n import TEXT, tr
from diagnostics.app.jobs import Job
from diagnostics.app.landing import LandingModel, landing_html
from diagnostics.app.markup import Col, download_link, table
from diagnostics.app.registry import dashboards, failure_page
from diagnostics.app.widgets import ClickBridge
from diagnostics.cli import build_parser
from diagnostics.commands.serve import DEFAULT_PORT, make_app_class, voila_argv


def test_every_text_has_both_languages():
    assert all(zh and en for zh, en in TEXT.values())
    assert tr("no-such-key") == "no-such-key"


def test_a_dashboard_that_cannot_be_built_says_why_without_a_traceback(monkeypatch):
    monkeypatch.setenv("ZHENGAI_DB_URL", "sqlite:////nonexistent/folder/zhengai.db")
    page = build("self_diagnosis")
    text = page.children[0].value
    assert "看板无法打开" in text and "Traceback" not in text and "zhengai init" in text
    assert "no dashboard" in failure_page("nope", KeyError("no dashboard 'nope'")).children[0].value


def test_registry_lists_every_notebook_and_survives_a_broken_plugin(monkeypatch, repo_root):
    notebooks = {p.name for p in (repo_root / "notebooks").glob("*.ipynb")}
    assert {d.notebook for d in DASHBOARDS} | {"index.ipynb"} == notebooks

    class Broken:
        name, value = "broken", "nowhere:thing"

        def load(self):
            raise ImportError("no module named nowhere")

    monkeypatch.setattr("diagnostics.app.registry.entry_points", lambda group: [Broken()])
    found, failures = dashboards()
    assert len(found) == len(DASHBOARDS) and "no module named nowhere" in failures["broken"]


def test_notebooks_only_build_and_show(repo_root):
    import json

    for path in (repo_root / "notebooks").glob("*.ipynb"):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [line for c in cells if c["cell_type"] == "code" for line in "".join(c["source"]).splitlines()
                if line.strip()]
        assert len(code) <= 5 and not any(line.lstrip().startswith(("def ", "class ")) for line in code), path


def test_landing_page_states_user_and_links_dashboards(ctx):  # noqa: F811
    model = LandingModel(ctx)
    html = landing_html(model)
    assert all(d.notebook in html for d in DASHBOARDS) and ctx.user.name in html
    assert "sqlite" not in html and "zhengai.db" not in html and ctx.url not in html  # no database URL
    figures = dict(model.figures)
    assert figures["fig_schools"] == len(ctx.access.schools()) and "fig_red" in figures
    assert "8字形质量改进螺旋" in html and "目标链" in html and "质控点" in html
    model.lang = "en"
    assert "Open" in landing_html(model)


def test_jobs_report_failures_as_text():
    job = Job()
    job.start(lambda report: 1 / 0)
    job.wait(10)
    assert job.state == "failed" and job.error == "division by zero" and "Traceback" not in job.error
    from diagnostics.app.jobs import explain
    from diagnostics.workflow.errors import InvalidChange

    assert explain(FileNotFoundError(2, "No such file", "/tmp/x.xlsx")) == "文件无法读取或写入：/tmp/x.xlsx，请检查文件后重试"
    assert "OSError" not in explain(OSError("disk")) and "（" not in explain(ValueError("坏 / bad"))
    assert explain(InvalidChange("必须填写问题描述", "a task needs a problem"), "zh") == "必须填写问题描述"
    assert explain(InvalidChange("必须填写问题描述", "a task needs a problem"), "en") == "a task needs a problem"


def test_markup_escapes_data_and_clicks_carry_no_data():
    html = table([{"a": "<img src=x onerror=alert(1)>"}], [Col("a", "<b>")])
    assert "<img" not in html and "&lt;img" in html and "&lt;b&gt;" in html
    bridge = ClickBridge(lambda key: None)
    attrs = bridge.attrs('x" onmouseover="alert(1)')
    assert 'onmouseover="alert' not in attrs and "&quot;" in attrs
    got = []
    bridge._on_click = got.append
    bridge.box.value = "S1#1700000000"
    assert got == ["S1"]
    assert 'download="a&lt;b&gt;.html"' in download_link(b"x", "a<b>.html", "text/html", "下载")


def test_serve_is_registered_with_preheating_on_localhost():
    args = build_parser().parse_args(["serve"])
    assert args.port == DEFAULT_PORT and args.pool_size == 1
    argv = voila_argv(8899, args.notebooks, 1)
    assert "--Voila.ip=127.0.0.1" in argv and "--preheat_kernel=True" in argv and "--pool_size=1" in argv
    assert "--template=zhengai" in argv  # the page template with no CDN request and Chinese loading text
    assert any(a.startswith("--VoilaExecutor.iopub_timeout=") for a in argv)
    assert "--port=8899" in argv and not any("preheat" in a for a in voila_argv(8899, args.notebooks, 0))
    assert make_app_class().__name__ == "ZhengaiVoila"
