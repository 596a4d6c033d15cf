/* JSON text for the commands that print it (dump, drill). */
#ifndef STORMTOP_JSON_H
#define STORMTOP_JSON_H

/* s as a JSON string, quoted and escaped, on stdout; bytes that are not
 * UTF-8 come out as U+FFFD. */
void json_string(const char *s);

#endif
