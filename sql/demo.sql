-- evqa demo content: three articles in different review states.
-- Loaded by `evqa init --demo` into a new database (inside one transaction).

-- Article 1: acupuncture-chronic-pain (under_review)
INSERT INTO article (id, slug, created_at) VALUES (1, 'acupuncture-chronic-pain', '2025-07-25T09:00:00Z');
INSERT INTO revision (id, article_id, number, question, author, created_at, state, state_at) VALUES
  (1, 1, 1, 'How effective is acupuncture for chronic pain, and how does it fit alongside conventional treatment?', 'evqa Editorial Team', '2025-07-25T09:00:00Z', 'under_review', '2025-07-28T14:30:00Z');
INSERT INTO reference (revision_id, num, kind, title, source, year, pmid, doi, url) VALUES
  (1, 1, 'guideline', 'Noninvasive Treatments for Acute, Subacute, and Chronic Low Back Pain: A Clinical Practice Guideline From the American College of Physicians', 'Annals of Internal Medicine', 2017, '28192789', '10.7326/M16-2367', NULL),
  (1, 2, 'systematic_review', 'Effectiveness of acupuncture for nonspecific chronic low back pain: a systematic review and meta-analysis', 'Spine', 2013, NULL, NULL, NULL),
  (1, 3, 'research', 'Effectiveness of Electroacupuncture or Auricular Acupuncture vs Usual Care for Chronic Musculoskeletal Pain Among Cancer Survivors: The PEACE Randomized Clinical Trial', 'JAMA Oncology', 2021, '33734288', '10.1001/jamaoncol.2021.0310', NULL),
  (1, 4, 'research', 'Acupuncture and amitriptyline for pain due to HIV-related peripheral neuropathy: a randomized controlled trial', 'JAMA', 1998, NULL, '10.1001/jama.280.18.1590', NULL),
  (1, 5, 'review', 'Understandings of acupuncture application and mechanisms', 'American Journal of Translational Research', 2022, '35422904', NULL, NULL),
  (1, 6, 'review', 'Acupuncture for Pain', 'American Family Physician', 2019, NULL, NULL, 'https://www.aafp.org/afp/2019/0715/p89.html');
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (1, 'clinician',
'Acupuncture is a reasonable, low-risk addition to conventional care for several chronic pain conditions. The most consistent support is in chronic low back pain and in musculoskeletal pain after cancer, while the data in neuropathic pain are thin. Its margin over sham needling is modest, so it belongs inside a multimodal plan rather than standing in for one [1-3, 6].',
'## Evidence by pain condition

### Chronic low back pain

The low back is where the trial base is largest and where guideline support is clearest.

- The American College of Physicians names acupuncture among the nonpharmacologic treatments to try first for chronic low back pain, together with exercise, multidisciplinary rehabilitation and mindfulness-based stress reduction [1].
- Compared with no acupuncture, pooled trials show lower pain intensity (SMD -0.72) and better function (SMD -0.94) [2].
- Measured immediately after a course, the pain reduction spans roughly 7 to 24 points on a 0-100 scale [2].
- Against sham needling, pain intensity is lower at the end of treatment (WMD -16.76) and remains lower through 12 weeks of follow-up (WMD -9.55) [2].
- Against NSAIDs, muscle relaxants or simple analgesics, acupuncture produced more pain relief (WMD -10.56) and better function (SMD -0.36) [2].

### Cancer-related pain

- The PEACE trial randomized 360 cancer survivors with at least three months of musculoskeletal pain to ten weekly sessions of electroacupuncture, ten of auricular acupuncture, or usual care [3].
- At week 12, electroacupuncture lowered Brief Pain Inventory severity by 1.9 points and auricular acupuncture by 1.6 points on the 0-10 scale, each compared with usual care [3].
- Both effects were still present at week 24, about six months after randomization [3].
- Adverse events were mostly mild; auricular acupuncture did not meet the noninferiority margin against electroacupuncture and caused more adverse events [3].

### Neuropathic pain

- In HIV-associated peripheral neuropathy, a multicenter factorial trial of 250 patients found that a standardized acupuncture regimen was no better than control points, and amitriptyline 75 mg/day no better than placebo, over 14 weeks; every group improved from baseline [4].
- Protocols that add moxibustion to needling are still being tested in sham-controlled trials, so for neuropathic pain acupuncture is best offered as a time-limited adjunct to guideline-based drug therapy.

## Integration with conventional care

1. Alongside medication:
   - Needling can be added to an existing analgesic or neuropathic-pain regimen; most PEACE participants were already taking pain medication when they enrolled [3].
   - Record analgesic use before and after the course so that any reduction in NSAID or opioid need is captured.
2. Within multimodal rehabilitation:
   - The ACP guideline places acupuncture beside exercise, rehabilitation and psychological therapies, which supports using it inside a broader program [1].
   - Pair sessions with an active component such as graded exercise so that gains in function can be consolidated.
3. For selected patients:
   - Cancer survivors with chronic musculoskeletal pain, in whom electroacupuncture has randomized evidence [3].
   - Patients who have had an inadequate response to standard therapies or cannot tolerate them [6].

## Mechanisms

- Stimulating acupoints releases endogenous opioids such as endorphins, along with other neurotransmitters [5].
- At the needling site, ATP signaling and transient receptor potential vanilloid (TRPV) channels help turn the mechanical stimulus into a nerve signal [5].
- In peripheral tissue, acupuncture lowers cyclooxygenase-2 (COX-2) and prostaglandin E2 (PGE2), partly through the hypothalamic-pituitary-adrenal axis [5].
- Centrally, it modulates opioid, serotonin, norepinephrine and endocannabinoid transmission [5].

## Practical use

1. Course of treatment:
   - A usual course is 10-12 sessions spread over 5-6 weeks [6]; PEACE used ten weekly sessions [3].
   - Review pain and function at the end of the course and continue with maintenance sessions only after a clear response.
2. Technique:
   - Electroacupuncture, which passes a small current between needles, is a common alternative to manual needling [6]; in PEACE it gave the larger pain reduction with fewer adverse events than auricular acupuncture [3].
   - Point selection follows the condition; for low back pain, BL 23, BL 25 and GB 30 are commonly used [6].
3. Safety:
   - Serious adverse effects are uncommon [6].
   - Minor problems such as needling pain or small bleeds occur in about 5% of patients [6].
   - Pneumothorax has been reported but is very rare; refer to appropriately trained practitioners [6].

## Limitations

- The additional benefit of true (verum) over sham acupuncture is often statistically significant yet small enough that its clinical importance is debatable [6].
- Part of the response reflects nonspecific (placebo or meaning) effects rather than needling alone [6].
- Adequate blinding and credible control procedures are hard to achieve, and many trials have methodological weaknesses [5].
- Patient expectations and preference for acupuncture can shape the outcome [6].
- Cost, insurance coverage and the availability of trained practitioners restrict access for many patients.

## Conclusion

Acupuncture is a low-risk nonpharmacologic option with its strongest evidence in chronic low back pain and in chronic musculoskeletal pain after cancer, and much weaker evidence in neuropathic pain [1-4]. It works best as one part of a multimodal plan, delivered as a defined course with a planned review, and it may help some patients rely less on medications that carry significant side effects.');
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (1, 'patient',
'Acupuncture can ease some kinds of long-lasting pain, especially low back pain and joint or muscle pain after cancer treatment. It is quite safe, but the extra benefit over fake needling is small, so it works best as one part of a wider pain plan [1-3, 6].',
'## What the research shows

### Long-lasting low back pain

- A major doctors'' group in the US lists acupuncture as one of the first non-drug treatments to try, along with exercise [1].
- People who had acupuncture reported less pain and could do more than people who had none [2].
- It also helped pain a bit more than fake (sham) needling and a bit more than common pain pills [2].

### Pain after cancer treatment

- In a study of 360 cancer survivors, ten weekly sessions of acupuncture, either with a mild electrical current or in the ear, lowered pain by about 1.6 to 1.9 points on a 0-10 scale [3].
- The benefit was still there about six months later, and side effects were mostly mild [3].

### Nerve pain

- For nerve pain linked to HIV, a large study found acupuncture worked no better than needling at other spots [4].

## Using it with your usual care

1. Keep your current treatment:
   - You can keep taking your pain medicines; most people in the cancer study did [3].
2. Make it part of a plan:
   - Acupuncture fits best next to exercise and other non-drug treatments [1].
3. Who may gain most:
   - People whose pain has not improved enough with usual treatments, or who cannot take them [6].

## How it may work

- The needles seem to make the body release its own natural painkillers [5].
- They may also calm inflammation and change how the brain and nerves handle pain signals [5].

## What to expect

1. Number of visits:
   - Usually about 10 to 12 sessions over 5 to 6 weeks [6].
2. Side effects:
   - About 1 person in 20 has minor soreness or a small bleed where a needle went in [6].
   - A collapsed lung is a very rare serious risk, so choose a trained practitioner [6].

## Things to keep in mind

- Part of the benefit comes from the care and the expectation of feeling better, not only from the needles [6].
- Studies of acupuncture are hard to run fairly, so the evidence is not as firm as for many medicines [5].
- Cost and finding a practitioner nearby can make it hard to get.

## In short

Acupuncture is a safe choice to add to your pain care, especially for low back pain and for pain after cancer [1-3]. Talk with your clinician about trying a set number of sessions and checking afterwards whether it helped.');

-- Article 2: doacs-vs-warfarin-atrial-fibrillation (approved)
INSERT INTO article (id, slug, created_at) VALUES (2, 'doacs-vs-warfarin-atrial-fibrillation', '2025-05-12T08:00:00Z');
INSERT INTO revision (id, article_id, number, question, author, created_at, state, state_at) VALUES
  (2, 2, 1, 'Should direct oral anticoagulants be preferred over warfarin for stroke prevention in non-valvular atrial fibrillation?', 'evqa Editorial Team', '2025-05-12T08:00:00Z', 'approved', '2025-06-02T15:00:00Z');
INSERT INTO reference (revision_id, num, kind, title, source, year, pmid, doi, url) VALUES
  (2, 1, 'guideline', '2023 ACC/AHA/ACCP/HRS Guideline for the Diagnosis and Management of Atrial Fibrillation: A Report of the American College of Cardiology/American Heart Association Joint Committee on Clinical Practice Guidelines', 'Circulation', 2023, '38033089', '10.1161/CIR.0000000000001193', NULL),
  (2, 2, 'systematic_review', 'Comparison of the efficacy and safety of new oral anticoagulants with warfarin in patients with atrial fibrillation: a meta-analysis of randomised trials', 'The Lancet', 2014, '24315724', '10.1016/S0140-6736(13)62343-0', NULL),
  (2, 3, 'research', 'Dabigatran versus warfarin in patients with atrial fibrillation', 'New England Journal of Medicine', 2009, '19717844', '10.1056/NEJMoa0905561', NULL),
  (2, 4, 'research', 'Rivaroxaban versus warfarin in nonvalvular atrial fibrillation', 'New England Journal of Medicine', 2011, '21830957', '10.1056/NEJMoa1009638', NULL),
  (2, 5, 'research', 'Apixaban versus warfarin in patients with atrial fibrillation', 'New England Journal of Medicine', 2011, '21870978', '10.1056/NEJMoa1107039', NULL),
  (2, 6, 'research', 'Edoxaban versus warfarin in patients with atrial fibrillation', 'New England Journal of Medicine', 2013, '24251359', '10.1056/NEJMoa1310907', NULL);
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (2, 'clinician',
'Yes. For patients with non-valvular atrial fibrillation who need anticoagulation and are eligible for a direct oral anticoagulant (DOAC), current US guidance recommends a DOAC over warfarin, because the class prevents at least as many strokes, halves intracranial hemorrhage and lowers all-cause mortality; warfarin remains the drug for mechanical valves and moderate-to-severe mitral stenosis [1, 2]. {recommendation: strong, certainty: high}',
'## Pivotal trials

Each DOAC was compared with dose-adjusted warfarin (target INR 2.0-3.0) in a large randomized trial.

- RE-LY (18,113 patients): dabigatran 150 mg twice daily cut stroke or systemic embolism to 1.11% per year versus 1.69% with warfarin (RR 0.66) at a similar major-bleeding rate (3.11% vs 3.36% per year); 110 mg twice daily was noninferior (1.53% per year) with less major bleeding (2.71% per year) [3].
- ROCKET AF (14,264 patients): rivaroxaban 20 mg daily was noninferior in the per-protocol analysis (1.7% vs 2.2% per year, HR 0.79) but not superior by intention to treat (HR 0.88); major plus clinically relevant non-major bleeding was similar (14.9% vs 14.5% per year), with less intracranial (0.5% vs 0.7%) and fatal (0.2% vs 0.5%) bleeding [4].
- ARISTOTLE (18,201 patients): apixaban 5 mg twice daily was superior for stroke or systemic embolism (1.27% vs 1.60% per year, HR 0.79), caused less major bleeding (2.13% vs 3.09%, HR 0.69) and lowered all-cause mortality (3.52% vs 3.94%, HR 0.89) [5].
- ENGAGE AF-TIMI 48 (21,105 patients, median 2.8 years): the higher-dose edoxaban regimen was noninferior on treatment (1.18% vs 1.50% per year) with less major bleeding (2.75% vs 3.43%) and fewer cardiovascular deaths (2.74% vs 3.17%) [6].

## Pooled evidence

- A meta-analysis of the four trials (71,683 patients) found DOACs reduced stroke or systemic embolism by 19% (RR 0.81, 95% CI 0.73-0.91), driven mainly by fewer hemorrhagic strokes [2]. {certainty: high}
- All-cause mortality fell (RR 0.90, 0.85-0.95) and intracranial hemorrhage roughly halved (RR 0.48, 0.39-0.59) [2].
- Gastrointestinal bleeding rose (RR 1.25, 1.01-1.55), and the reduction in major bleeding did not reach significance (RR 0.86) [2]. {certainty: moderate}

## Guideline position

1. Who needs anticoagulation:
   - Oral anticoagulation is recommended when the estimated annual thromboembolic risk is 2% or more, for example a CHA2DS2-VASc score of 2 or more in men or 3 or more in women [1].
2. Which agent:
   - In DOAC-eligible patients, a DOAC is recommended in preference to warfarin [1].
   - Warfarin remains the anticoagulant for patients with a mechanical heart valve or moderate-to-severe mitral stenosis [1].
   - Aspirin alone is not an acceptable substitute for anticoagulation [1].

## Practical points

- Use the dose studied for the patient''s profile: ROCKET AF gave 15 mg daily when creatinine clearance was 30-49 mL/min [4], and ARISTOTLE reduced apixaban to 2.5 mg twice daily with two or more of age 80 years or older, weight 60 kg or less, or serum creatinine 1.5 mg/dL or higher [5].
- Weigh the higher gastrointestinal bleeding rate in patients with prior GI bleeding or active lesions [2].
- Patients stable on warfarin with good INR control can reasonably continue it, but switching should be offered when monitoring is a burden or control is poor. {certainty: low}');
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (2, 'patient',
'For most people with atrial fibrillation who need a blood thinner, the newer pills (such as apixaban, rivaroxaban, dabigatran or edoxaban) are now preferred over warfarin. They prevent strokes at least as well, cause fewer bleeds in the brain and need no routine blood tests; warfarin is still used for people with a mechanical heart valve or a badly narrowed mitral valve [1, 2]. {recommendation: strong, certainty: high}',
'## What the big studies found

- Four large studies, each with many thousands of people, compared one of the newer blood thinners with warfarin [3-6].
- Apixaban and the higher dose of dabigatran prevented more strokes than warfarin [3, 5].
- Rivaroxaban and edoxaban prevented strokes about as well as warfarin and caused fewer serious bleeds in the brain [4, 6].
- Taken together, the newer pills prevented about one in five of the strokes and clots that happened on warfarin, and people taking them were a little less likely to die during the studies [2]. {certainty: high}
- Bleeding in the brain happened about half as often [2].
- Bleeding from the stomach or bowel was somewhat more common with the newer pills [2]. {certainty: moderate}

## What heart specialists recommend

1. Whether you need a blood thinner:
   - This depends on your stroke risk, which your clinician works out from your age, sex and other conditions [1].
2. Which one:
   - If a newer pill is suitable for you, it is recommended over warfarin [1].
   - If you have a mechanical heart valve or a badly narrowed mitral valve, warfarin is still the right choice [1].
   - Aspirin on its own does not protect you well enough [1].

## Things to talk about with your clinician

- The dose may need to be lower if your kidneys do not work well, if you are older, or if you weigh less [4, 5].
- Tell your clinician if you have ever had stomach or bowel bleeding [2].
- If you take warfarin and your blood tests are usually in range, staying on it can be reasonable. {certainty: low}');

-- Article 3: vitamin-d-fracture-prevention (submitted)
INSERT INTO article (id, slug, created_at) VALUES (3, 'vitamin-d-fracture-prevention', '2025-08-04T11:00:00Z');
INSERT INTO revision (id, article_id, number, question, author, created_at, state, state_at) VALUES
  (3, 3, 1, 'Does vitamin D supplementation prevent fractures in community-dwelling adults?', 'evqa Editorial Team', '2025-08-04T11:00:00Z', 'submitted', '2025-08-04T11:00:00Z');
INSERT INTO reference (revision_id, num, kind, title, source, year, pmid, doi, url) VALUES
  (3, 1, 'guideline', 'Vitamin D, Calcium, or Combined Supplementation for the Primary Prevention of Fractures in Community-Dwelling Adults: US Preventive Services Task Force Recommendation Statement', 'JAMA', 2018, '29677309', '10.1001/jama.2018.3185', NULL),
  (3, 2, 'research', 'Supplemental Vitamin D and Incident Fractures in Midlife and Older Adults', 'New England Journal of Medicine', 2022, '35939577', '10.1056/NEJMoa2202106', NULL),
  (3, 3, 'systematic_review', 'Effects of vitamin D supplementation on musculoskeletal health: a systematic review, meta-analysis, and trial sequential analysis', 'The Lancet Diabetes & Endocrinology', 2018, '30293909', '10.1016/S2213-8587(18)30265-1', NULL),
  (3, 4, 'systematic_review', 'Association Between Calcium or Vitamin D Supplementation and Fracture Incidence in Community-Dwelling Older Adults: A Systematic Review and Meta-analysis', 'JAMA', 2017, '29279934', '10.1001/jama.2017.19344', NULL),
  (3, 5, 'research', 'Annual high-dose oral vitamin D and falls and fractures in older women: a randomized controlled trial', 'JAMA', 2010, NULL, NULL, 'https://jamanetwork.com/journals/jama/fullarticle/185854');
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (3, 'clinician',
'No. In adults living in the community who are not selected for osteoporosis, vitamin D deficiency or prior fracture, vitamin D supplements, with or without calcium, do not reduce total, nonvertebral or hip fractures, and the USPSTF advises against low-dose supplementation for this purpose in postmenopausal women [1-4].',
'## Guideline position

- The USPSTF recommends against daily supplementation with 400 IU or less of vitamin D and 1000 mg or less of calcium for primary fracture prevention in community-dwelling postmenopausal women (grade D) [1].
- It found the evidence insufficient (I statement) for higher doses in postmenopausal women and for any dose in men and premenopausal women [1].
- The recommendation excludes people with osteoporosis, vitamin D deficiency or a previous fracture, and it notes a small increase in kidney stones with combined vitamin D and calcium [1].

## Randomized evidence

- VITAL randomized 25,871 adults (men 50 years and older, women 55 and older) to vitamin D3 2000 IU/day or placebo; participants were not chosen for deficiency or low bone mass [2].
- Over a median 5.3 years there was no effect on total fractures (HR 0.98, 95% CI 0.89-1.08), nonvertebral fractures (HR 0.97) or hip fractures (HR 1.01) [2].
- Baseline 25-hydroxyvitamin D level did not modify these results [2].
- Because VITAL did not select for deficiency and the USPSTF review excluded people in institutional care, neither source speaks to deficient, housebound or nursing-home populations [1, 2].

## Meta-analyses

- Across 81 randomized trials with 53,537 participants, vitamin D did not reduce total fracture (RR 1.00, 0.93-1.07), hip fracture (RR 1.11, 0.97-1.26) or falls (RR 0.97, 0.93-1.02), and higher doses did no better than lower ones [3].
- In 33 trials with 51,145 community-dwelling adults older than 50, hip-fracture risk ratios were 1.21 for vitamin D, 1.53 for calcium and 1.09 for the combination, none statistically significant [4].

## Possible harm from large intermittent doses

- In 2,256 women aged 70 or older, a single annual oral dose of 500,000 IU vitamin D3 increased falls (83.4 vs 72.7 per 100 person-years) and fractures (4.9 vs 3.9 per 100 person-years) [5].

## Practical points

1. Do not start vitamin D for fracture prevention alone:
   - In unselected community-dwelling adults the trials show no fracture benefit [2-4].
2. Treat the people these trials did not cover:
   - Osteoporosis, documented deficiency and previous fragility fracture fall outside the USPSTF recommendation and need their own management [1].
3. Avoid large bolus dosing:
   - Annual high-dose regimens have been linked to more falls and fractures [5].');
INSERT INTO revision_text (revision_id, audience, bottom_line, body) VALUES (3, 'patient',
'For most adults living at home, taking vitamin D pills does not lower the chance of breaking a bone. This applies to people who have not been told they have thin bones (osteoporosis), low vitamin D or an earlier fracture [1-4].',
'## What the research shows

- A US expert panel advises postmenopausal women not to take low-dose vitamin D and calcium just to prevent broken bones, because it does not help [1].
- For higher doses, and for men and younger women, the panel found there was not enough evidence to decide [1].
- A study of almost 26,000 healthy adults who took 2000 IU of vitamin D a day for about five years found no fewer broken bones than in people taking a dummy pill [2].
- Reviews that combined dozens of studies also found no drop in fractures or falls [3, 4].

## A possible risk

- Very large doses taken once a year led to more falls and more broken bones in older women [5].

## What this means for you

1. If you are healthy:
   - You do not need vitamin D pills just to protect your bones [2-4].
2. If you have osteoporosis, low vitamin D or have broken a bone before:
   - This advice may not apply to you; ask your clinician what is right for you [1].
3. Avoid very large single doses unless your clinician prescribes them [5].');
