/* JSON strings as dump and drill print them: escapes by hand, and text
 * that is not UTF-8 (a process name cut inside a character, a stray byte
 * from an application) replaced so that the line still parses. */
#include "testlib.h"

#include <unistd.h>

#include "json.h"

/* What json_string prints for s. */
static const char *printed(const char *s)
{
	static char buf[512];
	FILE *tmp = tmpfile();
	int saved = dup(1);
	size_t n;

	assert_non_null(tmp);
	fflush(stdout);
	assert_true(dup2(fileno(tmp), 1) == 1);
	json_string(s);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void escapes(void **state)
{
	(void)state;
	assert_string_equal(printed("churn"), "\"churn\"");
	assert_string_equal(printed("a\"b\\c"), "\"a\\\"b\\\\c\"");
	assert_string_equal(printed("tab\there\n"), "\"tab\\u0009here\\u000a\"");
}

static void not_utf8_is_replaced(void **state)
{
	(void)state;
	/* valid two-, three- and four-byte characters pass as they are */
	assert_string_equal(printed("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5"),
			    "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5\"");
	/* a stray byte, an overlong lead, a character cut at the end */
	assert_string_equal(printed("churn\xff"), "\"churn\\ufffd\"");
	assert_string_equal(printed("\xc0\xafx"), "\"\\ufffd\\ufffdx\"");
	assert_string_equal(printed("gateway-\xe2\x82"), "\"gateway-\\ufffd\\ufffd\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes),
		cmocka_unit_test(not_utf8_is_replaced),
	};
	return cmocka_run_group_tests_name("json strings", tests, NULL, NULL);
}
