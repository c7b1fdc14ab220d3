/* dict.c: English and medical word lists, through libhunspell (see dict.h). */
#include "config.h"

#include <ctype.h>
#include <hunspell.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"

#define DICT_WORD_MAX	64	/* longer words are not looked up: no list holds them */

static pthread_once_t	 once = PTHREAD_ONCE_INIT;
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;	/* a Hunhandle is not thread-safe */
static Hunhandle	*hun;

static void
dict_load(void)
{
	char	 aff[512], dic[512], med[512];

	snprintf(aff, sizeof(aff), "%s/en_US.aff", DICT_DIR);
	snprintf(dic, sizeof(dic), "%s/en_US.dic", DICT_DIR);
	snprintf(med, sizeof(med), "%s/en_med_glut.dic", DICT_DIR);
	if (access(aff, R_OK) != 0 || access(dic, R_OK) != 0)
		return;
	if ((hun = Hunspell_create(aff, dic)) == NULL)
		return;
	/* the medical list has no endings of its own: it uses the English one's */
	if (access(med, R_OK) == 0)
		Hunspell_add_dic(hun, med);
}

int
dict_open(void)
{
	pthread_once(&once, dict_load);
	return hun != NULL ? 0 : -1;
}

int
dict_known(const char *w)
{
	char	 name[DICT_WORD_MAX + 1];
	int	 known;

	if (dict_open() == -1)
		return -1;
	if (w == NULL || w[0] == '\0' || strlen(w) > DICT_WORD_MAX)
		return 0;
	/* a name is listed with its capital: "Nigeria", "Macintosh" */
	memcpy(name, w, strlen(w) + 1);
	name[0] = (char)toupper((unsigned char)name[0]);
	pthread_mutex_lock(&lock);
	known = Hunspell_spell(hun, w) != 0 || Hunspell_spell(hun, name) != 0;
	pthread_mutex_unlock(&lock);
	return known;
}
