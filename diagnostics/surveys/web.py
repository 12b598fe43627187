"""The survey form, served by tornado on 127.0.0.1 (``zhengai survey serve``).

``GET /s/TOKEN`` shows the questionnaire of the link (Chinese; ``?lang=en`` for English), ``POST /s/TOKEN``
submits it once.  A used link or a link of a closed survey answers HTTP 410 with a page saying so, an
unknown link 404.  No account, no asset from elsewhere (the CSS is inline; the page's security policy
forbids any other source), no cache, no referrer; the access log records neither the path (it holds the
token) nor the address.  The form carries tornado's XSRF token.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import tornado.web
from sqlalchemy import Engine

from .instruments import Instrument
from .links import Link, LinkState, lookup, submit

TEMPLATES = Path(__file__).with_name("templates")
LOG = logging.getLogger("zhengai.survey")
DEFAULT_PORT = 8870
POLICY = ("default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
          "frame-ancestors 'none'")

TEXT = {
    "zh": {"fix": "请先完成以下题目：", "required": "必答", "optional": "选答", "submit": "提交问卷",
           "privacy": "本问卷匿名：不记录姓名、联系方式、网络地址，只记录作答日期。每个链接只能提交一次。",
           "missing": "未作答", "invalid": "选项无效",
           "thanks": "提交成功，感谢您的参与！", "thanks_detail": "您的回答已匿名保存。此链接现已失效，可以关闭本页面。",
           "used": "此链接已经提交过", "used_detail": "每个调查链接只能提交一次，您的回答已保存，无需再次提交。",
           "closed": "此调查已结束", "closed_detail": "该调查已由学校关闭，不再接收回答。感谢您的关注。",
           "unknown": "链接无效", "unknown_detail": "找不到这个调查链接，请检查链接是否完整，或向发放链接的学校询问。",
           "title": "在线调查"},
    "en": {"fix": "Please answer these questions first:", "required": "required", "optional": "optional",
           "submit": "Submit", "privacy": "Anonymous: no name, contact or network address is recorded, only the "
           "day of the answer. Each link can be submitted once.",
           "missing": "not answered", "invalid": "not a valid choice",
           "thanks": "Thank you, your answers were submitted.",
           "thanks_detail": "They were stored anonymously. This link is now used; you may close this page.",
           "used": "This link has already been used", "used_detail": "Each survey link can be submitted once; "
           "the answers given with it are stored.",
           "closed": "This survey is closed", "closed_detail": "The school has closed this survey; it takes no "
           "more answers.",
           "unknown": "Unknown link", "unknown_detail": "No survey has this link: check that it is complete, or ask "
           "the school that sent it.",
           "title": "Online survey"},
}
REFUSED = {LinkState.USED: (410, "used"), LinkState.CLOSED: (410, "closed"), LinkState.UNKNOWN: (404, "unknown")}


def _log_request(handler: tornado.web.RequestHandler) -> None:
    """Status, method and time only: the path holds the token, the address would identify the respondent."""
    LOG.info("%d %s %.0fms", handler.get_status(), handler.request.method, 1000 * handler.request.request_time())


class Page(tornado.web.RequestHandler):
    """Common headers and the language of a page."""

    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", POLICY)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Content-Type-Options", "nosniff")

    @property
    def en(self) -> bool:
        return self.get_query_argument("lang", "zh") == "en"

    @property
    def text(self) -> dict[str, str]:
        return TEXT["en" if self.en else "zh"]

    def notice(self, status: int, key: str, title: str | None = None) -> None:
        self.set_status(status)
        self.render("notice.html", en=self.en, title=title or self.text["title"], message=self.text[key],
                    detail=self.text[f"{key}_detail"])

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.render("notice.html", en=self.en, title=self.text["title"], message=f"{status_code}",
                    detail=self.text["unknown_detail"])


class Home(Page):
    def get(self) -> None:
        self.notice(404, "unknown")


class Form(Page):
    """One link: the questionnaire, its submission, or why it is refused."""

    def initialize(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, token: str) -> None:
        link = lookup(self.engine, token)
        if link.state != LinkState.OPEN:
            self.refuse(link)
            return
        self.form(link, {}, [], [])

    def post(self, token: str) -> None:
        link = lookup(self.engine, token)
        if link.state != LinkState.OPEN or link.instrument is None:
            self.refuse(link)
            return
        answers = {q.id: self.get_body_argument(q.id, "") for q in link.instrument.questions}
        result = submit(self.engine, token, answers)
        if result.stored:
            self.notice(200, "thanks", self.title(link.instrument))
        elif result.state != LinkState.OPEN:
            self.refuse(Link(result.state, link.instrument))
        else:
            self.set_status(400)
            self.form(link, answers, result.missing, result.invalid)

    def title(self, inst: Instrument) -> str:
        return inst.title_en if self.en else inst.title_zh

    def refuse(self, link: Link) -> None:
        status, key = REFUSED[link.state]
        self.notice(status, key, self.title(link.instrument) if link.instrument else None)

    def form(self, link: Link, answers: dict[str, str], missing: list[str], invalid: list[str]) -> None:
        inst = link.instrument
        assert inst is not None
        questions = []
        for q in inst.questions:
            scale = inst.scale_of(q)
            labels = scale.choices_en if self.en else scale.choices_zh
            questions.append({"id": q.id, "text": q.text_en if self.en else q.text_zh, "required": q.required,
                              "choices": list(zip(scale.choices_zh, labels, strict=True)),
                              "chosen": answers.get(q.id, ""), "bad": q.id in missing or q.id in invalid})
        why = {q: self.text["missing"] for q in missing} | {q: self.text["invalid"] for q in invalid}
        problems = [(q["id"], f"{i}. {q['text']} — {why[q['id']]}") for i, q in enumerate(questions, 1) if q["bad"]]
        self.render("form.html", en=self.en, title=self.title(inst),
                    intro=inst.intro_en if self.en else inst.intro_zh, questions=questions, problems=problems,
                    text=self.text)


def make_app(engine: Engine, cookie_secret: str | None = None) -> tornado.web.Application:
    """The survey site on ``engine`` (``/s/TOKEN``); XSRF-protected forms, quiet access log."""
    return tornado.web.Application(
        [(r"/", Home), (r"/s/([A-Za-z0-9_\-]{1,200})", Form, {"engine": engine})],
        template_path=str(TEMPLATES), xsrf_cookies=True, cookie_secret=cookie_secret or secrets.token_hex(32),
        log_function=_log_request, default_handler_class=Home, compress_response=True)


def link_url(base: str, token: str) -> str:
    """The address a respondent opens."""
    return f"{base.rstrip('/')}/s/{token}"

