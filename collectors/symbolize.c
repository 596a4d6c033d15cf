// SPDX-License-Identifier: GPL-2.0-only
/* Addresses to names (collectors/symbolize.h).
 *
 * User side: one libdwfl session per binary, not per process.  A binary
 * is keyed by the device and inode /proc/PID/maps shows for its mapping,
 * so a second process mapping the same libc finds it in the cache
 * without opening or reading anything; the descriptor libdwfl keeps open
 * pins the inode, so no other file can take that key while the entry
 * lives.  The binary is reported at its link-time addresses; a process
 * keeps only its executable mappings (start, end, file offset), and a
 * runtime address becomes a file offset, then a link-time address
 * through the binary's PT_LOAD headers.  The file is opened as the
 * process sees it, root/proc/PID/root/PATH, or through
 * root/proc/PID/map_files when that path is gone or holds another inode
 * now (deleted, or replaced by an upgrade).  Symbols come from the binary's
 * tables or from separate debug info that libdwfl's standard callbacks
 * find by build-id (under the process's /usr/lib/debug) or by
 * .gnu_debuglink next to the binary.  A symbol names an address only
 * inside its size: past its end the answer is module+offset.
 *
 * Kernel side: the kallsyms file, read once into an array sorted by
 * address.  kallsyms has no sizes: every symbol (data too) ends the one
 * before it, and no text symbol covers more than KSYM_SPAN bytes, or
 * KSYM_TAIL when it is the last of its module.
 *
 * First lookups allocate (a process's maps, a binary's tables, the
 * kallsyms array); after that a lookup allocates nothing, unless it
 * misses every mapping, which re-reads the maps at most once a second.
 * C++ names stay mangled: demangling (libstdc++'s __cxa_demangle)
 * allocates for every name.  One caller at a time (the sampler thread). */
#include "collectors/symbolize.h"

#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "collectors/kallsyms.h"
#include "collectors/privsep.h"
#include "util/mem.h"

#define SYM_PROCS  16              /* processes kept; the least recently used goes */
#define SYM_LOADS  8               /* PT_LOAD headers kept per binary */
#define SYM_REREAD 1000000000ull   /* ns between two maps reads after a miss */
#define KSYM_SPAN  0x10000u        /* the most any kernel text symbol covers (see ksym_find) */
#define KSYM_TAIL  0x4000u         /* the most a module's last one covers */
#define KSYM_NONE  UINT32_MAX      /* not text: bounds the symbol before, names nothing */
#define SYM_HITS   1024            /* user names kept by (pid, address): stacks repeat */
#define SYM_NAME   128             /* the longest name kept there */

struct sym_bin {
	struct sym_bin *next;
	uint64_t dev, ino;
	unsigned refs;             /* mappings pointing here, all processes */
	Dwfl *dwfl;                /* NULL: not an ELF file we could open */
	Dwfl_Module *mod;
	Dwfl_Callbacks cb;         /* libdwfl keeps a pointer to it */
	char *debug_path;          /* cb.debuginfo_path points here */
	unsigned nload;
	struct {
		uint64_t off, filesz, vaddr;
	} load[SYM_LOADS];
};

struct sym_map {
	uint64_t start, end, off;
	uint64_t base;             /* the file's load address: its first mapping's start - offset */
	uint64_t dev, ino;         /* ino 0: not a file ("[vdso]", or anonymous when !path) */
	char *path;
	int deleted;               /* maps said "(deleted)": open it through map_files */
	int tried;                 /* bin looked for once: not again */
	struct sym_bin *bin;
};

struct sym_proc {
	int32_t pid;               /* 0: a free slot */
	uint64_t used;             /* s->uses at its last lookup (least recently used goes) */
	uint64_t read_ns;          /* when its maps were read */
	size_t n;
	struct sym_map *map;       /* executable mappings, by address */
};

struct ksym {
	uint64_t addr;
	uint32_t name;             /* offset in kpool, KSYM_NONE for a symbol that is not text */
	uint32_t mod;              /* offset of the module's name in kpool, 0: the kernel's own */
};

/* A user name found before: libdwfl searches a symbol table from end to
 * end for each address (80 us in libc with its debug symbols). */
struct sym_hit {
	int32_t pid;               /* 0: empty */
	uint64_t addr;
	char name[SYM_NAME];
};

struct symbolizer {
	char *root;
	uint64_t uses;
	struct sym_hit *hit;       /* SYM_HITS, by a hash of pid and address */
	struct sym_proc proc[SYM_PROCS];
	struct sym_bin *bins;
	int kread;                 /* kallsyms read (or failed): not again */
	struct ksym *ksym;
	size_t nksym, ksym_cap;
	char *kpool;
	size_t kpool_len, kpool_cap;
};

/* ---- output ---- */

/* Printable ASCII only; ';' too becomes '?' (it joins frames in the
 * folded paths the names go into). */
static void sanitise(char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e || *s == ';')
			*s = '?';
}

__attribute__((format(printf, 3, 4))) static const char *put(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!len)
		return buf;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	sanitise(buf);
	return buf;
}

/* "name+0xoff", or "name" at offset 0.  A symbol version in the name
 * (versioned aliases in a symbol table: "memcpy@@GLIBC_2.14") is left
 * out: it says which ABI, not where. */
static const char *put_sym(char *buf, size_t len, const char *name, uint64_t off)
{
	int n = name[0] == '@' ? (int)strlen(name) : (int)strcspn(name, "@");

	return off ? put(buf, len, "%.*s+0x%" PRIx64, n, name, off) : put(buf, len, "%.*s", n, name);
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* A text file through the privileged opener (collectors/privsep.h):
 * maps and kallsyms need capabilities this process dropped. */
static FILE *open_read(const char *path)
{
	int fd = privsep_open(path);
	FILE *f;

	if (fd < 0)
		return NULL;
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

/* ---- kernel ---- */

static uint32_t kpool_add(struct symbolizer *s, const char *str, size_t n)
{
	uint32_t at = (uint32_t)s->kpool_len;

	if (s->kpool_len + n + 1 > s->kpool_cap) {
		size_t cap = s->kpool_cap ? s->kpool_cap * 2 : 1 << 16;
		char *p;

		while (cap < s->kpool_len + n + 1)
			cap *= 2;
		if (cap >= KSYM_NONE || !(p = realloc(s->kpool, cap)))
			return KSYM_NONE;
		s->kpool = p;
		s->kpool_cap = cap;
	}
	memcpy(s->kpool + at, str, n);
	s->kpool[at + n] = '\0';
	sanitise(s->kpool + at);
	s->kpool_len += n + 1;
	return at;
}

static int ksym_push(struct symbolizer *s, const struct ksym *k)
{
	if (s->nksym == s->ksym_cap) {
		size_t cap = s->ksym_cap ? s->ksym_cap * 2 : 4096;
		struct ksym *p = realloc(s->ksym, cap * sizeof(*p));

		if (!p)
			return -1;
		s->ksym = p;
		s->ksym_cap = cap;
	}
	s->ksym[s->nksym++] = *k;
	return 0;
}

static int is_text(char type)
{
	return type && strchr("tTwW", type);
}

/* One line into the table; a module's name is kept once for its run of
 * lines (kallsyms lists a module's symbols together). */
static int ksym_line(struct symbolizer *s, const char *line, uint32_t *mod)
{
	struct kallsyms_line l;
	struct ksym k;

	if (!kallsyms_parse(line, &l) || !l.addr) /* 0: hidden */
		return 0;
	if (!l.mod)
		*mod = 0;
	else if (!*mod || strlen(s->kpool + *mod) != l.mod_len || memcmp(s->kpool + *mod, l.mod, l.mod_len))
		*mod = kpool_add(s, l.mod, l.mod_len);
	k.addr = l.addr;
	k.mod = *mod;
	k.name = is_text(l.type) ? kpool_add(s, l.name, l.name_len) : KSYM_NONE;
	if (k.mod == KSYM_NONE || (k.name == KSYM_NONE && is_text(l.type)))
		return -1;
	return ksym_push(s, &k);
}

/* By address; at one address text before data, then the first listed
 * (pool offsets grow in file order). */
static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->name < y->name ? -1 : x->name > y->name;
}

static void ksym_load(struct symbolizer *s)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0, n = 0;
	uint32_t mod = 0;
	FILE *f;

	s->kread = 1;
	snprintf(path, sizeof(path), "%s/proc/kallsyms", s->root);
	if (!(f = open_read(path)) || kpool_add(s, "", 0) != 0) {
		if (f)
			fclose(f);
		return;
	}
	while (getline(&line, &cap, f) > 0)
		if (ksym_line(s, line, &mod) < 0)
			break; /* ENOMEM: what was read still answers */
	free(line);
	fclose(f);
	if (s->nksym)
		qsort(s->ksym, s->nksym, sizeof(*s->ksym), ksym_cmp);
	for (size_t i = 0; i < s->nksym; i++) /* one symbol an address */
		if (!n || s->ksym[i].addr != s->ksym[n - 1].addr)
			s->ksym[n++] = s->ksym[i];
	s->nksym = n;
}

/* The text symbol whose extent holds addr, or NULL.  The span bound:
 * markers such as _etext or __entry_text_end are text symbols followed
 * by megabytes without one (Linux 6.18 x86_64), while its largest
 * function (hidinput_connect) is 20.7 KiB. */
static const struct ksym *ksym_find(const struct symbolizer *s, uint64_t addr)
{
	size_t lo = 0, hi = s->nksym;
	const struct ksym *k, *next;
	uint64_t end, span;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->ksym[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	k = &s->ksym[lo - 1];
	next = lo < s->nksym ? &s->ksym[lo] : NULL;
	span = next && next->mod == k->mod ? KSYM_SPAN : KSYM_TAIL;
	end = k->addr > UINT64_MAX - span ? UINT64_MAX : k->addr + span;
	if (next && next->addr < end)
		end = next->addr;
	return k->name != KSYM_NONE && addr < end ? k : NULL;
}

const char *sym_kernel(struct symbolizer *s, uint64_t addr, char *buf, size_t len)
{
	const struct ksym *k;

	if (!s->kread)
		ksym_load(s);
	k = ksym_find(s, addr);
	return k ? put_sym(buf, len, s->kpool + k->name, addr - k->addr) : put(buf, len, "[unknown]");
}

/* ---- binaries ---- */

/* Never from the network: debuginfod (DEBUGINFOD_URLS) would block the
 * sampler thread on a download, so with it set only the local build-id
 * tree is searched. */
static int find_debuginfo(Dwfl_Module *mod, void **user, const char *modname, Dwarf_Addr base,
			  const char *file, const char *link, GElf_Word crc, char **debug_file)
{
	const char *urls = getenv("DEBUGINFOD_URLS");

	if (urls && *urls)
		return dwfl_build_id_find_debuginfo(mod, user, modname, base, file, link, crc, debug_file);
	return dwfl_standard_find_debuginfo(mod, user, modname, base, file, link, crc, debug_file);
}

/* Modules are reported with their file open: never asked for. */
static int find_elf(Dwfl_Module *mod, void **user, const char *name, Dwarf_Addr base, char **file, Elf **elf)
{
	(void)mod;
	(void)user;
	(void)name;
	(void)base;
	(void)file;
	(void)elf;
	return -1;
}

static struct sym_bin *bin_find(struct symbolizer *s, uint64_t dev, uint64_t ino)
{
	for (struct sym_bin *b = s->bins; b; b = b->next)
		if (b->dev == dev && b->ino == ino) {
			b->refs++;
			return b;
		}
	return NULL;
}

static void bin_unref(struct symbolizer *s, struct sym_bin *b)
{
	struct sym_bin **p;

	if (!b || --b->refs)
		return;
	for (p = &s->bins; *p != b; p = &(*p)->next)
		;
	*p = b->next;
	if (b->dwfl)
		dwfl_end(b->dwfl); /* closes the file */
	free(b->debug_path);
	free(b);
}

/* The mapped file itself: by its path inside the process's root, or,
 * when that is gone or another file now (an upgrade replaced it), through
 * map_files.  -1 when neither is the mapped inode. */
static int bin_fd(const struct symbolizer *s, int32_t pid, const struct sym_map *m, char *file, size_t n)
{
	struct stat st;
	int fd;

	for (int way = m->deleted; way < 2; way++) {
		if (way == 0)
			snprintf(file, n, "%s/proc/%d/root%s", s->root, pid, m->path);
		else
			snprintf(file, n, "%s/proc/%d/map_files/%" PRIx64 "-%" PRIx64, s->root, pid, m->start, m->end);
		if ((fd = privsep_open(file)) < 0)
			continue;
		if (fstat(fd, &st) == 0 && (uint64_t)st.st_ino == m->ino)
			return fd;
		close(fd);
	}
	return -1;
}

static void bin_loads(struct sym_bin *b)
{
	GElf_Addr bias;
	Elf *e = dwfl_module_getelf(b->mod, &bias);
	size_t n = 0;

	if (!e || elf_getphdrnum(e, &n) < 0)
		return;
	for (size_t i = 0; i < n && b->nload < SYM_LOADS; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(e, (int)i, &ph) && ph.p_type == PT_LOAD) {
			b->load[b->nload].off = ph.p_offset;
			b->load[b->nload].filesz = ph.p_filesz;
			b->load[b->nload].vaddr = ph.p_vaddr;
			b->nload++;
		}
	}
}

/* Reports the file at its link-time addresses (ET_DYN at bias 0,
 * ET_EXEC where it is) and reads its symbols now, not on a later lookup.
 * fd is the library's from here on, or closed. */
static void bin_report(struct sym_bin *b, const struct symbolizer *s, int32_t pid, const struct sym_map *m,
		       int fd, const char *file)
{
	const char *name = strrchr(m->path, '/');

	if (asprintf(&b->debug_path, ":.debug:%s/proc/%d/root/usr/lib/debug", s->root, pid) < 0)
		b->debug_path = NULL;
	b->cb.find_elf = find_elf;
	b->cb.find_debuginfo = find_debuginfo;
	b->cb.section_address = dwfl_offline_section_address;
	b->cb.debuginfo_path = &b->debug_path;
	if (!b->debug_path || !(b->dwfl = dwfl_begin(&b->cb))) {
		close(fd);
		return;
	}
	dwfl_report_begin(b->dwfl);
	b->mod = dwfl_report_elf(b->dwfl, name ? name + 1 : m->path, file, fd, 0, true);
	if (dwfl_report_end(b->dwfl, NULL, NULL) != 0 || !b->mod) {
		if (!b->mod)
			close(fd); /* not taken on failure */
		dwfl_end(b->dwfl);
		b->dwfl = NULL;
		b->mod = NULL;
		return;
	}
	bin_loads(b);
	dwfl_module_getsymtab(b->mod);
}

/* The binary behind a file mapping: cached, or read now.  A file that
 * cannot be opened or is not ELF is kept too, without symbols, so it is
 * not tried on every lookup. */
static struct sym_bin *bin_get(struct symbolizer *s, int32_t pid, const struct sym_map *m)
{
	struct sym_bin *b = bin_find(s, m->dev, m->ino);
	char file[PATH_MAX + 64];
	int fd;

	if (b)
		return b;
	if (!(b = calloc(1, sizeof(*b))))
		return NULL;
	b->dev = m->dev;
	b->ino = m->ino;
	b->refs = 1;
	if ((fd = bin_fd(s, pid, m, file, sizeof(file))) >= 0)
		bin_report(b, s, pid, m, fd, file);
	b->next = s->bins;
	s->bins = b;
	return b;
}

/* addr's link-time address in the binary: through the file offset it
 * maps, into the PT_LOAD that holds that offset.  0, or -1 outside all. */
static int bin_vaddr(const struct sym_bin *b, const struct sym_map *m, uint64_t addr, uint64_t *vaddr)
{
	uint64_t off = addr - m->start + m->off;

	for (unsigned i = 0; i < b->nload; i++)
		if (off >= b->load[i].off && off - b->load[i].off < b->load[i].filesz) {
			*vaddr = b->load[i].vaddr + (off - b->load[i].off);
			return 0;
		}
	return -1;
}

/* The symbol that covers vaddr (inside its size; a sizeless symbol only
 * at its own address), or NULL: never the nearest one before. */
static const char *bin_sym(const struct sym_bin *b, uint64_t vaddr, uint64_t *off)
{
	GElf_Off o = 0;
	GElf_Sym sym;
	const char *name;

	if (!b->mod)
		return NULL;
	name = dwfl_module_addrinfo(b->mod, vaddr, &o, &sym, NULL, NULL, NULL);
	if (!name || !*name || (sym.st_size ? o >= sym.st_size : o != 0))
		return NULL;
	*off = o;
	return name;
}

/* ---- names found before ---- */

static struct sym_hit *hit_slot(struct symbolizer *s, int32_t pid, uint64_t addr)
{
	uint64_t h = (addr ^ (uint64_t)pid * 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;

	return &s->hit[(h >> 32) % SYM_HITS];
}

/* What was found for pid goes when its maps change or it is forgotten. */
static void hit_drop(struct symbolizer *s, int32_t pid)
{
	for (size_t i = 0; i < SYM_HITS; i++)
		if (s->hit[i].pid == pid)
			s->hit[i].pid = 0;
}

/* ---- processes ---- */

static void maps_free(struct symbolizer *s, struct sym_map *map, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bin_unref(s, map[i].bin);
		free(map[i].path);
	}
	free(map);
}

/* One maps line into *m; 1 for an executable mapping to keep.  *group
 * carries the load address across the lines of one file (the loader maps
 * a file's segments next to each other; its first line is at offset 0). */
static int map_line(const char *line, struct sym_map *m, struct sym_map *group)
{
	unsigned maj, min;
	char perm[5];
	const char *path;
	size_t n;
	int at = 0;

	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n", &m->start, &m->end,
		   perm, &m->off, &maj, &min, &m->ino, &at) != 7 || !at)
		return 0;
	m->dev = (uint64_t)maj << 32 | min;
	path = line + at;
	n = strcspn(path, "\n");
	m->deleted = n > 10 && strncmp(path + n - 10, " (deleted)", 10) == 0;
	n -= m->deleted ? 10 : 0;
	m->path = n ? strndup(path, n) : NULL;
	m->bin = NULL;
	m->tried = 0;
	if (!m->ino || m->dev != group->dev || m->ino != group->ino)
		group->base = m->start - m->off;
	group->dev = m->dev;
	group->ino = m->ino;
	m->base = m->ino ? group->base : m->start;
	if (perm[2] == 'x' && (!n || m->path))
		return 1;
	free(m->path);
	return 0;
}

/* Binaries already in the cache are taken at once (no file opened). */
static int maps_read(struct symbolizer *s, struct sym_proc *p)
{
	char path[PATH_MAX], *line = NULL;
	struct sym_map *map = NULL, *grown, group = {0}, m;
	size_t n = 0, cap = 0, lcap = 0;
	FILE *f;

	p->read_ns = now_ns();
	snprintf(path, sizeof(path), "%s/proc/%d/maps", s->root, p->pid);
	if (!(f = open_read(path)))
		return -1;
	while (getline(&line, &lcap, f) > 0) {
		if (!map_line(line, &m, &group))
			continue;
		if (n == cap) {
			size_t more = cap ? cap * 2 : 64;

			if (!(grown = realloc(map, more * sizeof(*map)))) {
				free(m.path);
				break; /* ENOMEM: the mappings read so far */
			}
			map = grown;
			cap = more;
		}
		if (m.ino && (m.bin = bin_find(s, m.dev, m.ino)))
			m.tried = 1;
		map[n++] = m;
	}
	free(line);
	fclose(f);
	maps_free(s, p->map, p->n);
	hit_drop(s, p->pid);
	p->map = map;
	p->n = n;
	return 0;
}

static struct sym_map *map_find(struct sym_proc *p, uint64_t addr)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < p->map[mid].start)
			hi = mid;
		else if (addr >= p->map[mid].end)
			lo = mid + 1;
		else
			return &p->map[mid];
	}
	return NULL;
}

static void proc_drop(struct symbolizer *s, struct sym_proc *p)
{
	maps_free(s, p->map, p->n);
	if (p->pid)
		hit_drop(s, p->pid);
	memset(p, 0, sizeof(*p));
}

/* pid's slot: kept, or a free one, or the least recently used one
 * emptied for it (its maps read now). */
static struct sym_proc *proc_get(struct symbolizer *s, int32_t pid)
{
	struct sym_proc *p = NULL;

	for (int i = 0; i < SYM_PROCS; i++) {
		if (s->proc[i].pid == pid)
			return &s->proc[i];
		if (!p || s->proc[i].used < p->used)
			p = &s->proc[i];
	}
	proc_drop(s, p);
	p->pid = pid;
	maps_read(s, p);
	return p;
}

/* The mapping holding addr; on a miss the maps are read again (a library
 * loaded since), at most once a second. */
static struct sym_map *proc_map(struct symbolizer *s, struct sym_proc *p, uint64_t addr)
{
	struct sym_map *m = map_find(p, addr);

	if (!m && now_ns() - p->read_ns >= SYM_REREAD && maps_read(s, p) == 0)
		m = map_find(p, addr);
	return m;
}

/* addr's name into buf; 1 when it may be kept (a mapping was found:
 * a miss may be mapped later). */
static int user_name(struct symbolizer *s, struct sym_proc *p, uint64_t addr, char *buf, size_t len)
{
	struct sym_map *m;
	const char *name;
	uint64_t vaddr, off;

	if (!(m = proc_map(s, p, addr))) {
		put(buf, len, "[unknown]");
		return 0;
	}
	if (!m->path) {
		put(buf, len, "[unknown]"); /* anonymous: JIT code */
		return 1;
	}
	if (m->ino && !m->tried) {
		m->tried = 1;
		m->bin = bin_get(s, p->pid, m);
	}
	if (m->bin && bin_vaddr(m->bin, m, addr, &vaddr) == 0 && (name = bin_sym(m->bin, vaddr, &off))) {
		put_sym(buf, len, name, off);
		return 1;
	}
	name = strrchr(m->path, '/');
	put(buf, len, "%s+0x%" PRIx64, name ? name + 1 : m->path, addr - m->base);
	return 1;
}

const char *sym_user(struct symbolizer *s, int32_t pid, uint64_t addr, char *buf, size_t len)
{
	struct sym_hit *h, found;
	struct sym_proc *p;
	int keep;

	if (pid <= 0)
		return put(buf, len, "[unknown]");
	p = proc_get(s, pid);
	p->used = ++s->uses;
	h = hit_slot(s, pid, addr);
	if (h->pid == pid && h->addr == addr)
		return put(buf, len, "%s", h->name);
	keep = user_name(s, p, addr, found.name, sizeof(found.name));
	if (strlen(found.name) >= SYM_NAME - 1) { /* maybe cut: found again at the caller's length */
		user_name(s, p, addr, buf, len);
		return buf;
	}
	if (keep) {
		*h = found;
		h->pid = pid;
		h->addr = addr;
	}
	return put(buf, len, "%s", found.name);
}

void sym_forget(struct symbolizer *s, int32_t pid)
{
	for (int i = 0; s && pid > 0 && i < SYM_PROCS; i++)
		if (s->proc[i].pid == pid)
			proc_drop(s, &s->proc[i]);
}

struct symbolizer *sym_new(const char *root)
{
	struct symbolizer *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->root = strdup(root ? root : "");
	s->hit = mem_zalloc(SYM_HITS, sizeof(*s->hit));
	if (!s->root || !s->hit) {
		sym_free(s);
		return NULL;
	}
	return s;
}

void sym_free(struct symbolizer *s)
{
	if (!s)
		return;
	for (int i = 0; i < SYM_PROCS; i++)
		proc_drop(s, &s->proc[i]);
	free(s->ksym);
	free(s->kpool);
	free(s->hit);
	free(s->root);
	free(s);
}
