#!/usr/bin/env python3
# t_citations.py: citing an article and its references. References carry structured authors (API,
# editor form, export), shown in the list; the article page says how to cite it (version, date,
# permalink); RIS, BibTeX and CSL-JSON files of the article, of one reference and of all of them come
# with their media types and are read back by parsers evqa did not write: Debian's bibutils (ris2xml,
# bib2xml) for RIS and BibTeX, python3-bibtexparser for BibTeX, and python3-citeproc (citeproc-py)
# formatting the CSL-JSON. Without those tools their checks are skipped, except in CI (CI=true).

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from editor_client import Browser, add_token, add_user  # noqa: E402
from harness import Server, parse_html, run, run_evqa  # noqa: E402

SLUG = 'doacs-vs-warfarin-atrial-fibrillation'
PAGE = '/articles/2/' + SLUG
MODS = {'m': 'http://www.loc.gov/mods/v3'}
CI = os.environ.get('CI') == 'true'


def need(tap, ok, what):
    """True when a tool is there; else a skip (outside CI) or a failure (in CI)."""
    if ok:
        return True
    if CI:
        tap.ok(False, '%s is installed (CI installs it through ./dev)' % what)
    else:
        tap.skip('checks with %s' % what, '%s is not installed' % what)
    return False


def mods(tool, data):
    """Runs a bibutils converter on data and returns the parsed MODS records."""
    p = subprocess.run([tool], input=data, capture_output=True, timeout=30)
    if p.returncode != 0:
        return None, p.stderr.decode(errors='replace')
    return ET.fromstring(p.stdout.decode('utf-8').lstrip('\ufeff')).findall('m:mods', MODS), p.stderr.decode()


def mods_record(m):
    names = []
    for n in m.findall('m:name', MODS):
        fam = n.find("m:namePart[@type='family']", MODS)
        names.append(fam.text if fam is not None else ' '.join(p.text for p in n.findall('m:namePart', MODS)))
    title = m.find('m:titleInfo/m:title', MODS)
    sub = m.find('m:titleInfo/m:subTitle', MODS)
    doi = m.find("m:identifier[@type='doi']", MODS)
    return {'title': (title.text if title is not None else '') + (': ' + sub.text if sub is not None else ''),
            'names': names, 'doi': doi.text if doi is not None else None}


def check_page(tap, srv, refs):
    doc = parse_html(srv.get(PAGE).text)
    li = doc.by_id('ref-3')
    au = li.find(cls='ref-authors') if li is not None else None
    tap.eq(au.text() if au is not None else None,
           'Connolly SJ, Ezekowitz MD, Yusuf S, RE-LY Steering Committee and Investigators.',
           'the reference list shows the authors: family names and initials, and groups by name')
    li1 = doc.by_id('ref-1')
    tap.ok(li1 is not None and 'et al.' in li1.find(cls='ref-authors').text(),
           'more than six authors end in "et al."')
    links = [a.get('href') for a in li.find_all('a', cls='cite-link')] if li is not None else []
    tap.eq(links, [PAGE + '/v/1/citation?format=%s&ref=3' % f for f in ('ris', 'bibtex', 'csl-json')],
           'each reference links to its RIS, BibTeX and CSL-JSON files')
    block = doc.find(cls='cite-article')
    text = re.sub(r'\s+', ' ', block.text()) if block is not None else ''
    permalink = '%s%s/v/1' % (srv.url if hasattr(srv, 'url') else 'http://127.0.0.1:%d' % srv.port, PAGE)
    tap.ok('evqa Editorial Team.' in text and 'Should direct oral anticoagulants' in text and 'revision 1' in text
           and 'approved June 2, 2025' in text and permalink in text,
           '"Cite this article" gives the author, question, version, approval date and permalink', text)
    a = [x for x in block.find_all('a') if x.text() == permalink] if block is not None else []
    tap.ok(a and a[0].get('href') == permalink, 'the permalink is a link to the version cited')
    tap.eq(refs[2]['authors'][0], {'family': 'Connolly', 'given': 'Stuart J.'},
           'the JSON references carry structured authors')


def check_files(tap, srv, refs):
    base = PAGE + '/v/1/citation'
    types = {'ris': 'application/x-research-info-systems', 'bibtex': 'application/x-bibtex',
             'csl-json': 'application/vnd.citationstyles.csl+json'}
    got = {}
    for f, ext in (('ris', 'ris'), ('bibtex', 'bib'), ('csl-json', 'json')):
        for ref, name in (('', 'evqa-2-r1.' + ext), ('&ref=all', 'evqa-2-r1-references.' + ext),
                          ('&ref=3', 'evqa-2-r1-ref3.' + ext)):
            r = srv.get('%s?format=%s%s' % (base, f, ref))
            got[(f, ref)] = r.body
            tap.ok(r.status == 200 and r.content_type == types[f]
                   and r.headers.get('content-disposition') == 'attachment; filename="%s"' % name,
                   '%s%s comes as %s, named %s' % (f, ref or ' of the article', types[f], name), r.summary(200))
    titles = [x['title'] for x in refs]

    if need(tap, shutil.which('ris2xml'), 'bibutils (ris2xml)'):
        recs, err = mods('ris2xml', got[('ris', '&ref=all')])
        recs = [mods_record(m) for m in recs or []]
        tap.eq([x['title'] for x in recs], titles, 'ris2xml reads every reference back with its title', err)
        tap.ok(recs and recs[2]['names'][:3] == ['Connolly', 'Ezekowitz', 'Yusuf']
               and recs[2]['doi'] == '10.1056/NEJMoa0905561', 'and its authors and DOI', repr(recs[2:3]))
        art, err = mods('ris2xml', got[('ris', '')])
        art = [mods_record(m) for m in art or []]
        tap.ok(len(art) == 1 and art[0]['title'].startswith('Should direct oral anticoagulants'),
               'the article\'s RIS is read back as one record', err)
    if need(tap, shutil.which('bib2xml'), 'bibutils (bib2xml)'):
        recs, err = mods('bib2xml', got[('bibtex', '&ref=all')])
        recs = [mods_record(m) for m in recs or []]
        tap.eq([x['title'] for x in recs], titles, 'bib2xml reads every BibTeX entry back with its title', err)
        tap.ok(recs and recs[2]['names'] == ['Connolly', 'Ezekowitz', 'Yusuf',
                                              'RE-LY Steering Committee and Investigators'],
               'with its people and its group author', repr(recs[2:3]))
    try:
        import bibtexparser
    except ImportError:
        bibtexparser = None
    if need(tap, bibtexparser is not None, 'python3-bibtexparser'):
        db = bibtexparser.loads(got[('bibtex', '&ref=all')].decode('utf-8'))
        e = {x['ID']: x for x in db.entries}
        tap.ok(sorted(e) == ['evqa2-ref%d' % i for i in range(1, 7)] and e['evqa2-ref3']['ENTRYTYPE'] == 'article'
               and e['evqa2-ref3']['journal'] == 'New England Journal of Medicine'
               and e['evqa2-ref3']['doi'] == '10.1056/NEJMoa0905561' and e['evqa2-ref3']['year'] == '2009',
               'bibtexparser reads the entries, their types, journals, years and DOIs', repr(e.get('evqa2-ref3')))
        art = bibtexparser.loads(got[('bibtex', '')].decode('utf-8')).entries
        tap.ok(len(art) == 1 and art[0].get('url', '').endswith(PAGE + '/v/1') and art[0].get('edition') == 'revision 1',
               'the article\'s BibTeX names its version and permalink', repr(art))
    try:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        CiteProcJSON = None
    if need(tap, CiteProcJSON is not None, 'python3-citeproc'):
        items = json.loads(got[('csl-json', '&ref=all')])
        src = CiteProcJSON(items)
        bib = CitationStylesBibliography(CitationStylesStyle('harvard1', validate=False), src, formatter.plain)
        for it in items:
            bib.register(Citation([CitationItem(it['id'])]))
        out = [str(x) for x in bib.bibliography()]
        tap.ok(len(out) == 6 and any('Connolly' in x and 'Dabigatran versus warfarin' in x and '2009' in x
                                     for x in out), 'citeproc-py formats the CSL-JSON references', repr(out[:3]))
        art = json.loads(got[('csl-json', '')])
        tap.ok(len(art) == 1 and art[0]['type'] == 'webpage' and art[0]['URL'].endswith(PAGE + '/v/1')
               and art[0]['issued'] == {'date-parts': [[2025, 6, 2]]} and art[0]['version'] == 'revision 1',
               'the article\'s CSL-JSON is a web page with its version, date and permalink', repr(art))

    for q, want, what in (('?format=ris&ref=99', 400, 'a reference the article does not have'),
                          ('?format=doc', 400, 'an unknown format'), ('', 400, 'no format'),
                          ('?format=ris&ref=abc', 400, 'a reference that is not a number')):
        tap.eq(srv.get(base + q).status, want, '%s is a %d' % (what, want))
    tap.eq(srv.get(PAGE + '/v/9/citation?format=ris').status, 404, 'a version that does not exist is a 404')


def check_editing(tap, srv):
    add_user(srv, 'ed@x.org', 'Edna Editor', 'editor')
    token = add_token(srv, 'ed@x.org')

    def post(authors):
        doc = {'question': 'Do braces {and} 100% & _more_ survive?',
               'texts': [{'audience': 'clinician', 'bottom_line': 'Yes [1].', 'body': 'Body [1].'}],
               'references': [{'type': 'research', 'title': 'A {braced} title: 50% & #1 ~ ^', 'source': 'J_Test',
                               'year': 2020, 'pmid': None, 'doi': '10.1000/a%b', 'url': None, 'authors': authors}]}
        return srv.request('POST', '/api/v1/articles', body=json.dumps(doc), headers={
            'Authorization': 'Bearer %s' % token, 'Content-Type': 'application/json'})

    r = post([{'family': 'Name'}, {'name': 'Who'}])
    tap.ok(r.status == 400 and 'references[1].authors[2]' in r.text, 'an author without a family or literal name '
           'is a field error naming it', r.summary())
    r = post([{'family': 'Doe', 'given': 'Jane Q.'}, {'literal': 'World Health Organization'}])
    aid = r.json().get('id') if r.status == 201 else None
    if not tap.ok(aid, 'a reference with a person and a group as authors is saved', r.summary()):
        return
    loc = srv.get('/articles/%d' % aid).headers.get('location')
    doc = parse_html(srv.get(loc).text)
    tap.eq(doc.find(cls='ref-authors').text(), 'Doe JQ, World Health Organization.', 'the list shows them')
    bib = srv.get(loc + '/citation?format=bibtex&ref=1').body
    if shutil.which('bib2xml'):
        recs, err = mods('bib2xml', bib)
        recs = [mods_record(m) for m in recs or []]
        tap.ok(len(recs) == 1 and recs[0]['names'] == ['Doe', 'World Health Organization']
               and 'braced' in recs[0]['title'] and '50' in recs[0]['title'],
               'TeX\'s special characters are escaped: the entry still parses', repr(recs) + err + bib.decode())

    b = Browser(srv)
    b.login('ed@x.org')
    page = b.get('/editor/articles/2/edit').text
    m = re.search(r'<textarea[^>]*name="references"[^>]*>(.*?)</textarea>', page, re.S)
    lines = m.group(1).split('\n') if m else []
    tap.ok(len(lines) > 2 and lines[2].endswith('| Connolly, Stuart J.; Ezekowitz, Michael D.; Yusuf, Salim; '
                                                'RE-LY Steering Committee and Investigators'),
           'the editor form lists the authors after the other parts', repr(lines[:3]))
    form = parse_html(b.get('/editor/articles/%d/edit' % aid).body)
    fields = {'base': form.find('input', attrs={'name': 'base'}).get('value'),
              'question': 'Does a form save authors?',
              'references': 'research | A trial | A journal | 2021 | | | | Doe, John; {Group, with comma}; Solo',
              'bottom_clinician': 'Yes [1].', 'body_clinician': 'Body [1].'}
    r = b.post('/editor/articles/%d/edit' % aid, fields)
    tap.ok(r.status in (302, 303), 'the form saves a reference with authors', r.summary())
    rev = srv.request('GET', '/api/v1/articles/%d/revisions/2' % aid,
                      headers={'Authorization': 'Bearer %s' % token}).json()
    tap.eq(rev['references'][0]['authors'], [{'family': 'Doe', 'given': 'John'}, {'literal': 'Group, with comma'},
                                             {'literal': 'Solo'}],
           'as "Family, Given" people and groups (in braces when their name has a comma)')

    p = run_evqa(['export', '--db', srv.db])
    line = [json.loads(x) for x in p.stdout.splitlines() if x.strip()]
    art2 = [x for x in line if x.get('slug') == SLUG]
    refs = art2[0]['revisions'][0]['references'] if art2 else []
    tap.ok(refs and refs[2].get('authors', [])[:1] == [{'family': 'Connolly', 'given': 'Stuart J.'}],
           'evqa export writes the authors', p.stderr)


def main(tap):
    with Server(tap) as srv:
        refs = srv.get('/api/v1/articles/2').json()['references']
        check_page(tap, srv, refs)
        check_files(tap, srv, refs)
        check_editing(tap, srv)


if __name__ == '__main__':
    run(main)
