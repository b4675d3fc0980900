"""mutate_operators.py - the mutation operators of scripts/mutate.py.

A C file is parsed with libclang, and every place where an operator applies
becomes one Mutant: one change to the file's text, made of byte-range edits
found on the syntax tree (never by regular expressions, which cannot tell a
call from a macro or an operator inside a string).

Operators (each mutant is one change):
  call-delete  a call made as a statement is removed; htons and its kin
               are unwrapped wherever they appear (htons(p) -> (p))
  relational   < <= > >= == != replaced by its neighbour
  arithmetic   + - * / % replaced by its counterpart
  constant     an integer literal, +1 and -1
  negate       the condition of an if, while or do-while negated
  loop-once    a while, for or do-while loop runs its body at most once
"""
import functools
import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field

try:
    import clang.cindex as cindex
except ImportError:
    # Debian's python3-clang installs for the system Python only; a
    # python3 found earlier on PATH (a virtualenv, a version manager's)
    # can use it too: cindex is pure Python over ctypes.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import clang.cindex as cindex
    except ImportError:
        cindex = None

OPERATORS = ("call-delete", "relational", "arithmetic", "constant", "negate",
             "loop-once")

# Calls whose deletion is a bug students really make: a descriptor, a lock
# or memory never given back, a signal or socket option never set, output
# never flushed. They are kept first when a lab's mutants are sampled.
PRIORITY_CALLS = frozenset((
    "close", "shutdown", "signal", "sigaction", "sigemptyset", "setsockopt",
    "fflush", "fclose", "freeaddrinfo", "freeifaddrs", "free",
    "pthread_mutex_lock", "pthread_mutex_unlock", "pthread_join",
    "pthread_detach", "pthread_cond_signal", "pthread_cond_broadcast",
    "htons", "ntohs", "htonl", "ntohl",
))

# Byte-order conversions return their argument's value in another order:
# forgetting one leaves the argument in place rather than removing a
# statement, so "deleting" them means unwrapping them.
BYTE_ORDER_CALLS = frozenset(("htons", "ntohs", "htonl", "ntohl"))

RELATIONAL_NEIGHBOUR = {"<": "<=", "<=": "<", ">": ">=", ">=": ">",
                        "==": "!=", "!=": "=="}
ARITHMETIC_COUNTERPART = {"+": "-", "-": "+", "*": "/", "/": "*", "%": "/"}

INTEGER_LITERAL = re.compile(
    r"^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$")


@dataclass(frozen=True)
class Mutant:
    file: str          # file name inside the lab's folder
    line: int          # line of the change in the original file
    operator: str      # one of OPERATORS
    change: str        # what changed, for a reader: "deleted close(fd)"
    edits: tuple       # ((start, end, replacement bytes), ...), byte offsets
    priority: bool = False  # a deletion of one of PRIORITY_CALLS

    def apply(self, source):
        """The file's text with this mutant's edits made."""
        for start, end, text in sorted(self.edits, reverse=True):
            source = source[:start] + text + source[end:]
        return source

    def describe(self):
        return f"{self.file}:{self.line}: {self.change} ({self.operator})"


@dataclass
class _Context:
    """What the operators share while they walk one file."""
    path: str                  # the file as libclang knows it
    name: str                  # the file's name in the report
    source: bytes              # its text; libclang offsets are bytes
    mutants: list = field(default_factory=list)

    def text(self, extent):
        return self.source[extent.start.offset:extent.end.offset].decode(
            errors="replace")

    def add(self, line, operator, change, edits, priority=False):
        self.mutants.append(Mutant(self.name, line, operator, change,
                                   tuple(edits), priority))


def clang_args(include_dirs):
    """Arguments that let libclang parse like the grader's compiler.
    libclang finds the C library's headers by itself, but its own
    (stddef.h, stdarg.h) live in the compiler's resource folder, which a
    library installed apart from clang may not find: without them every
    file that includes stddef.h fails to parse. Ask clang where it is."""
    args = ["-std=gnu11"]
    resource = resource_dir()
    if resource:
        args += ["-resource-dir", resource]
    for d in include_dirs:
        args += ["-I", d]
    return args


@functools.lru_cache(maxsize=None)
def resource_dir():
    clang = shutil.which("clang")
    if clang:
        out = subprocess.run([clang, "-print-resource-dir"],
                             capture_output=True, text=True, check=False)
        if out.returncode == 0 and os.path.isdir(out.stdout.strip()):
            return out.stdout.strip()
    # no clang program: the folder libclang's own package installs
    found = sorted(d for d in glob.glob("/usr/lib/llvm-*/lib/clang/*")
                   if os.path.isdir(os.path.join(d, "include")))
    return found[-1] if found else None


def available():
    """None when libclang can be used, else why not."""
    if cindex is None:
        return "no Python bindings of libclang (Debian: python3-clang)"
    try:
        cindex.Index.create()
    except Exception as exc:  # the library itself is missing
        return f"libclang cannot be loaded: {exc}"
    return None


def mutants_of_file(path, name=None, include_dirs=(), operators=OPERATORS):
    """Every mutant of the C file at path, in the order of the text."""
    with open(path, "rb") as f:
        source = f.read()
    index = cindex.Index.create()
    tu = index.parse(
        path, args=clang_args(include_dirs or [os.path.dirname(path) or "."]),
        options=cindex.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD)
    errors = [d for d in tu.diagnostics
              if d.severity >= cindex.Diagnostic.Error]
    if errors:
        # a tree with errors has holes: mutants of it would be guesses
        raise ValueError(f"{path}: libclang cannot parse it: {errors[0]}")
    ctx = _Context(path=tu.spelling, name=name or os.path.basename(path),
                   source=source)
    _walk(ctx, tu.cursor, [], set(operators))
    for cursor in tu.cursor.get_children():
        if cursor.kind == cindex.CursorKind.MACRO_DEFINITION and \
                "constant" in operators and _in_file(ctx, cursor):
            _macro_constants(ctx, cursor)
    ctx.mutants.sort(key=lambda m: (m.edits[0][0], OPERATORS.index(
        m.operator), m.change))
    return ctx.mutants


def _in_file(ctx, cursor):
    """Whether cursor is written in the file itself, not in a header."""
    start = cursor.extent.start
    return start.file is not None and start.file.name == ctx.path


def _walk(ctx, cursor, ancestors, operators):
    """Visits the tree, offering each node (with its ancestors, nearest
    last) to the operators. Nodes from headers are skipped whole."""
    kinds = cindex.CursorKind
    if cursor.kind != kinds.TRANSLATION_UNIT and not _in_file(ctx, cursor):
        return
    kind = cursor.kind
    parent = ancestors[-1] if ancestors else None
    if "call-delete" in operators:
        call = _statement_call(cursor) \
            if _is_statement_position(cursor, parent) else None
        if call is not None and call.spelling not in BYTE_ORDER_CALLS:
            _delete_statement(ctx, cursor, call)
        if kind == kinds.CALL_EXPR and cursor.spelling in BYTE_ORDER_CALLS:
            _unwrap_byte_order(ctx, cursor)
    if kind == kinds.BINARY_OPERATOR:
        if "relational" in operators:
            _replace_operator(ctx, cursor, RELATIONAL_NEIGHBOUR, "relational")
        if "arithmetic" in operators:
            _replace_operator(ctx, cursor, ARITHMETIC_COUNTERPART,
                              "arithmetic")
    elif kind == kinds.INTEGER_LITERAL and "constant" in operators:
        _literal_constant(ctx, cursor, ancestors)
    elif kind in (kinds.IF_STMT, kinds.WHILE_STMT, kinds.DO_STMT):
        if "negate" in operators:
            _negate_condition(ctx, cursor)
    if kind in (kinds.WHILE_STMT, kinds.FOR_STMT, kinds.DO_STMT) and \
            "loop-once" in operators:
        _loop_once(ctx, cursor)
    ancestors.append(cursor)
    for child in cursor.get_children():
        _walk(ctx, child, ancestors, operators)
    ancestors.pop()


def _is_statement_position(cursor, parent):
    """Whether cursor, an expression, is a whole statement: an element of
    a block, or the body of an if, loop or label (libclang has no node for
    an expression statement; its parent says what it is)."""
    kinds = cindex.CursorKind
    if parent is None:
        return False
    children = list(parent.get_children())
    if parent.kind in (kinds.COMPOUND_STMT, kinds.LABEL_STMT):
        return True
    if parent.kind == kinds.IF_STMT:
        return children[0] != cursor  # then or else, not the condition
    if parent.kind in (kinds.WHILE_STMT, kinds.FOR_STMT, kinds.CASE_STMT,
                       kinds.DEFAULT_STMT):
        return children[-1] == cursor  # the body
    if parent.kind == kinds.DO_STMT:
        return children[0] == cursor
    return False


def _statement_call(cursor):
    """The call a statement makes, seen through (void) casts and
    parentheses, or None."""
    kinds = cindex.CursorKind
    while cursor.kind in (kinds.CSTYLE_CAST_EXPR, kinds.PAREN_EXPR,
                          kinds.UNEXPOSED_EXPR):
        children = list(cursor.get_children())
        if not children:
            return None
        cursor = children[-1]
    return cursor if cursor.kind == kinds.CALL_EXPR else None


def _unwrap_byte_order(ctx, call):
    """htons(port) -> (port): the conversion a student forgets."""
    text = ctx.text(call.extent)
    args = list(call.get_arguments())
    if not text.startswith(call.spelling) or len(args) != 1:
        return  # a macro that expands to a call: not the student's text
    arg = ctx.text(args[0].extent)
    ctx.add(call.extent.start.line, "call-delete",
            f"{_short(text)} -> ({_short(arg)})",
            [(call.extent.start.offset, call.extent.end.offset,
              b"(" + arg.encode() + b")")], priority=True)


def _delete_statement(ctx, statement, call):
    """The statement, a call (or (void)call), becomes (void)0: an empty
    statement would draw -Wempty-body as the body of an if."""
    text = ctx.text(call.extent)
    if not call.spelling or not text.startswith(call.spelling):
        return  # a macro that expands to a call: not the student's text
    ctx.add(call.extent.start.line, "call-delete", f"deleted {_short(text)}",
            [(statement.extent.start.offset, statement.extent.end.offset,
              b"(void)0")], priority=call.spelling in PRIORITY_CALLS)


def _replace_operator(ctx, cursor, table, operator):
    children = list(cursor.get_children())
    if len(children) != 2:
        return
    lhs, rhs = children
    token = _operator_token(cursor, lhs, rhs)
    if token is None or token.spelling not in table:
        return
    if operator == "arithmetic" and not _arithmetic_compiles(
            token.spelling, lhs, rhs):
        return
    new = table[token.spelling]
    ext = token.extent
    where = _short(ctx.text(cursor.extent))
    ctx.add(ext.start.line, operator,
            f"{token.spelling} -> {new} in \"{where}\"",
            [(ext.start.offset, ext.end.offset, new.encode())])


def _operator_token(cursor, lhs, rhs):
    """The operator's token: the first between the operands. None when the
    operator comes from a macro, where the operands' text does not frame
    it (FD_ISSET(fd, &set) is a comparison written nowhere in the file)."""
    left_end = lhs.extent.end.offset
    right_start = rhs.extent.start.offset
    for token in cursor.get_tokens():
        offset = token.extent.start.offset
        if left_end <= offset < right_start:
            return token if token.kind == cindex.TokenKind.PUNCTUATION \
                else None
    return None


def _arithmetic_compiles(op, lhs, rhs):
    """Pointer arithmetic allows fewer operators: p - q and n + p have no
    counterpart that compiles, and a mutant that does not compile says
    nothing about the checks."""
    pointer = (cindex.TypeKind.POINTER, cindex.TypeKind.CONSTANTARRAY,
               cindex.TypeKind.INCOMPLETEARRAY)
    left = lhs.type.get_canonical().kind in pointer
    right = rhs.type.get_canonical().kind in pointer
    if op == "-" and left and right:
        return False
    if op == "+" and right:
        return False
    return True


def _literal_constant(ctx, cursor, ancestors):
    tokens = list(cursor.get_tokens())
    if len(tokens) != 1:
        return
    _constant_token(ctx, tokens[0], _context(ctx, cursor, ancestors))


def _context(ctx, cursor, ancestors):
    """The smallest enclosing text that says more than cursor's own, so
    that a reader can tell which 0 of a line changed: "return -1" rather
    than "-1", "buf[64]"."""
    own = (cursor.extent.start.offset, cursor.extent.end.offset)
    for ancestor in reversed(ancestors):
        ext = ancestor.extent
        if ext.start.file is None or ext.start.file.name != ctx.path:
            break
        if (ext.start.offset, ext.end.offset) != own and \
                len(ctx.text(ext)) >= 6:
            return ctx.text(ext)
    return ""


def _macro_constants(ctx, cursor):
    """Literals in a #define of the file itself (#define BACKLOG 16). The
    feature-test macros (_GNU_SOURCE, _POSIX_C_SOURCE) configure the
    headers, not the program, and are left alone."""
    if cursor.spelling.startswith("_"):
        return
    for token in list(cursor.get_tokens())[1:]:
        _constant_token(ctx, token, "#define " + ctx.text(cursor.extent))


def _constant_token(ctx, token, context):
    """Two mutants of an integer literal: its value +1 and -1, written in
    the same base and with the same suffix. Only integer-literal tokens
    count, so digits inside a string ("%02d") never do."""
    if token.kind != cindex.TokenKind.LITERAL:
        return
    spelling = token.spelling
    match = INTEGER_LITERAL.match(spelling)
    if not match:
        return
    digits, suffix = match.groups()
    value = _literal_value(digits)
    ext = token.extent
    for delta in (1, -1):
        new_value = value + delta
        if new_value < 0 and "u" in suffix.lower():
            continue
        new = _literal_text(digits, new_value) + suffix
        if new_value < 0:
            new = f"({new})"  # x-0 must not become x--1
        where = f" in \"{_short(context)}\"" if context else ""
        ctx.add(ext.start.line, "constant", f"{spelling} -> {new}{where}",
                [(ext.start.offset, ext.end.offset, new.encode())])


def _literal_value(digits):
    if digits[:2].lower() == "0x":
        return int(digits, 16)
    if len(digits) > 1 and digits[0] == "0":
        return int(digits, 8)
    return int(digits)


def _literal_text(digits, value):
    sign, value = ("-", -value) if value < 0 else ("", value)
    if digits[:2].lower() == "0x":
        return f"{sign}0x{value:x}"
    if len(digits) > 1 and digits[0] == "0":
        return f"{sign}0{value:o}"
    return f"{sign}{value}"


def _condition(cursor):
    """The condition of an if, while or do-while statement."""
    children = list(cursor.get_children())
    if not children:
        return None
    if cursor.kind == cindex.CursorKind.DO_STMT:
        return children[-1] if len(children) == 2 else None
    return children[0]


def _negate_condition(ctx, cursor):
    cond = _condition(cursor)
    if cond is None or not _parenthesized(ctx, cond.extent):
        return
    text = ctx.text(cond.extent)
    keyword = {"IF_STMT": "if", "WHILE_STMT": "while",
               "DO_STMT": "do-while"}[cursor.kind.name]
    ctx.add(cond.extent.start.line, "negate",
            f"{keyword} ({_short(text)}) -> {keyword} (!({_short(text)}))",
            [(cond.extent.start.offset, cond.extent.end.offset,
              b"!(" + text.encode() + b")")])


def _parenthesized(ctx, extent):
    """Whether extent is exactly what stands between a statement's
    parentheses: otherwise its offsets are not the condition's text."""
    before = ctx.source[:extent.start.offset].rstrip()
    after = ctx.source[extent.end.offset:].lstrip()
    return before.endswith(b"(") and after.startswith(b")")


def _loop_once(ctx, cursor):
    """The loop's body runs at most once: while (c) B becomes if (c) B.
    A plain `if` would leave a break or continue of the body outside any
    loop, so the body is wrapped in do { ... } while (0), where break and
    continue leave after one run, as they would leave the loop."""
    kinds = cindex.CursorKind
    children = list(cursor.get_children())
    if not children:
        return
    line = cursor.extent.start.line
    if cursor.kind == kinds.DO_STMT:
        cond = _condition(cursor)
        if cond is None or not _parenthesized(ctx, cond.extent):
            return
        text = ctx.text(cond.extent)
        ctx.add(line, "loop-once", f"do-while ({_short(text)}) runs once",
                [(cond.extent.start.offset, cond.extent.end.offset,
                  b"0 && (" + text.encode() + b")")])
        return
    body = children[-1]
    if body.kind != kinds.COMPOUND_STMT:
        return  # a body without braces: rare, and its end is not marked
    start, end = body.extent.start.offset, body.extent.end.offset
    if cursor.kind == kinds.WHILE_STMT:
        keyword = cursor.extent.start.offset
        if ctx.source[keyword:keyword + 5] != b"while":
            return
        cond = _short(ctx.text(children[0].extent))
        ctx.add(line, "loop-once", f"while ({cond}) -> if ({cond})",
                [(keyword, keyword + 5, b"do { if"),
                 (end, end, b" } while (0);")])
    else:
        header = ctx.source[cursor.extent.start.offset:start].decode(
            errors="replace")
        ctx.add(line, "loop-once", f"{_short(header.strip())} runs once",
                [(start, start, b"{ do "),
                 (end, end, b" while (0); break; }")])


def _short(text, width=50):
    """One line of at most width characters, for the report."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def unique(mutants, sources):
    """Mutants whose text differs from every earlier one's: two operators
    that produce the same file are one mutant. sources maps a file name to
    its original text."""
    seen, kept = set(), []
    for m in mutants:
        key = (m.file, m.apply(sources[m.file]))
        if key not in seen:
            seen.add(key)
            kept.append(m)
    return kept
