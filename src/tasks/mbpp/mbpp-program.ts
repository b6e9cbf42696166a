/**
 * The programs OpenCompass's `MBPPEvaluator` runs for one answer. At HEAD (PR #2565) the test asserts are parsed
 * and every `assert <left> == <right>` (exactly one `==`) calls a type-aware comparator instead; test code that
 * does not parse is kept as it is; the answer's code and then the tests run with `exec` in one fresh globals dict.
 * With `legacyEquality` (scores before 2026-07-28) the program is the code, a newline and the tests, with `==`.
 */
export function mbppProgram(options: { code: string; tests: string; legacyEquality?: boolean }): string {
  if (options.legacyEquality) return `${options.code}\n${options.tests}`;
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return `${typeAwareHarness}
_sextant_run(_sextant_decode("${encode(options.code)}"), _sextant_decode("${encode(options.tests)}"))
`;
}

/**
 * The comparator's rules: identical types (`4` vs `4.0`, `True` vs `1`, list vs tuple are unequal); lists and tuples
 * element by element, dicts by key/value pairs and sets by elements, recursively; anything else must give a real
 * `True` from `==`, and an exception counts as unequal.
 */
const typeAwareHarness = String.raw`
import ast as _sextant_ast, base64 as _sextant_base64

def _sextant_decode(text):
    return _sextant_base64.b64decode(text).decode("utf-8")

def _sextant_equal(left, right):
    try:
        if type(left) is not type(right):
            return False
        if isinstance(left, (list, tuple)):
            return len(left) == len(right) and all(_sextant_equal(a, b) for a, b in zip(left, right))
        if isinstance(left, dict):
            if len(left) != len(right):
                return False
            for key, value in left.items():
                matches = [other for other in right if _sextant_equal(key, other)]
                if not matches or not _sextant_equal(value, right[matches[0]]):
                    return False
            return True
        if isinstance(left, (set, frozenset)):
            if len(left) != len(right):
                return False
            unmatched = list(right)
            for item in left:
                for index, other in enumerate(unmatched):
                    if _sextant_equal(item, other):
                        del unmatched[index]
                        break
                else:
                    return False
            return True
        result = left == right
        return type(result) is bool and result
    except Exception:
        return False

class _SextantRewrite(_sextant_ast.NodeTransformer):
    def visit_Assert(self, node):
        test = node.test
        if isinstance(test, _sextant_ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], _sextant_ast.Eq):
            node.test = _sextant_ast.Call(
                func=_sextant_ast.Name(id="_sextant_equal", ctx=_sextant_ast.Load()),
                args=[test.left, test.comparators[0]],
                keywords=[],
            )
        return node

def _sextant_run(code, tests):
    try:
        tree = _SextantRewrite().visit(_sextant_ast.parse(tests))
        rewritten = _sextant_ast.unparse(_sextant_ast.fix_missing_locations(tree))
    except SyntaxError:
        rewritten = tests
    scope = {}
    exec(code, scope)
    scope["_sextant_equal"] = _sextant_equal
    exec(rewritten, scope)
`;
