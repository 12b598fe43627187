"""Reading the ID-hash key file: it must hold at least 32 random bytes.

Format: the bytes in hexadecimal, at least 64 hex digits on one line (``zhengai`` writes 64, from
:func:`secrets.token_bytes`); surrounding white space is ignored.  An empty file (or
``ZHENGAI_SECRET_FILE=/dev/null``), a short or non-hex one, or a trivial one (the same few bytes
repeated) would give hashes anyone can reverse by trying every ID number: it is refused with a
located, bilingual error (the command exits 2) and nothing is imported.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..workflow.errors import InvalidInput

MIN_BYTES = 32
MIN_DISTINCT = 16  # 32 random bytes have about 30 distinct values; fewer than 16 is not random
_HEX = re.compile(r"[0-9a-fA-F]+")
HOW = ("删除该文件让 zhengai 重新生成，或写入 `python -c \"import secrets; print(secrets.token_hex(32))\"` 的输出",
       "remove the file to let zhengai create one, or write the output of "
       "`python -c \"import secrets; print(secrets.token_hex(32))\"` into it")


def _refuse(path: Path, zh: str, en: str) -> InvalidInput:
    return InvalidInput(f"身份证号哈希密钥文件 {path}：{zh}；{HOW[0]}",
                        f"ID-hash key file {path}: {en}; {HOW[1]}")


def read_key(path: Path) -> bytes:
    """The key in ``path``, checked (see the module doc); a key file of ours is tightened to 0600."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(path, "不是普通文件", "not a regular file")
    try:
        raw = path.read_bytes()[:4096]
        text = raw.decode("ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise _refuse(path, f"无法读取为十六进制文本（{type(exc).__name__}）",
                      f"cannot be read as hexadecimal text ({type(exc).__name__})") from None
    if not _HEX.fullmatch(text or "-") or len(text) % 2:
        raise _refuse(path, f"应为十六进制文本（{len(text)} 个字符，含非十六进制字符或位数为奇数）",
                      f"expected hexadecimal text ({len(text)} characters, not hex or of odd length)")
    key = bytes.fromhex(text)
    if len(key) < MIN_BYTES:
        raise _refuse(path, f"只有 {len(key)} 字节，至少需要 {MIN_BYTES} 字节（{2 * MIN_BYTES} 个十六进制字符）",
                      f"holds {len(key)} bytes, at least {MIN_BYTES} ({2 * MIN_BYTES} hex digits) are needed")
    if len(set(key)) < MIN_DISTINCT:
        raise _refuse(path, "内容过于简单（重复的字节），不是随机密钥", "too simple (repeated bytes), not a random key")
    st = path.stat()
    if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
        path.chmod(0o600)
    return key
