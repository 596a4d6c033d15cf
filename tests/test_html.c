// SPDX-License-Identifier: GPL-2.0-only
/* html_text_to against escapes written out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/html.h"

static void expect(const char *in, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	html_text_to(f, in);
	fclose(f);
	assert_string_equal(buf, want);
	free(buf);
}

static void markup_is_escaped(void **state)
{
	(void)state;
	expect("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	expect("a \"b\" & c", "a &quot;b&quot; &amp; c");
	expect("plain", "plain");
}

static void controls_and_bad_bytes_become_fffd(void **state)
{
	(void)state;
	expect("\x1b[31mred", "\xef\xbf\xbd[31mred");           /* ESC */
	expect("a\x7f" "b", "a\xef\xbf\xbd" "b");               /* DEL */
	expect("\xc2\x9b" "1m", "\xef\xbf\xbd" "1m");           /* C1 CSI */
	expect("\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd");         /* not UTF-8 */
	expect("tab\there\nnext", "tab\there\nnext");
}

static void wide_text_is_kept(void **state)
{
	(void)state;
	expect("同步测试", "同步测试");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(markup_is_escaped),
		cmocka_unit_test(controls_and_bad_bytes_become_fffd),
		cmocka_unit_test(wide_text_is_kept),
	};

	return cmocka_run_group_tests_name("html text", tests, NULL, NULL);
}
