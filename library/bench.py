"""The library's part of ``bench``: Scale.resources resources with extracted text of realistic length, and the
search, facet and browse pages timed on them.

Resources are written by set-based SQL with the audit triggers ignored, as in notices.bench, in batches that
two connections share (the cost is the text-search vectors, computed by the server: one core each). Each
resource has realistic metadata (a title and summary from word lists, a type, one to three of sixty themes,
up to three Member States, one or two languages — English for most —, one or two pillars, an owner among the
active organisations, a publication date between 2005 and today, an addition date over three years, a few
hundred of them in the last week), the notices' audience mix (30 % platform-wide, 20 % Compact, 20 % Working
Group, 10 % named organisations, two each, 20 % owner only; 1 % shared with a person), and one document
whose current version holds 2,000 to 30,000 characters of "extracted" text (8,000 on average): paragraphs
of sentences drawn from a pool written from a vocabulary of counter-terrorism and UN words with a long-tailed
frequency, so a typical two-word search matches a few per cent of the library, as a real one does; the
Chinese resources' (3 %) from a Chinese vocabulary, written without spaces. The files themselves are never
written: no timed page reads them (downloads are not timed).

The text is cut into passages every 1,500 characters (``library.indexing.index_passages`` cuts at paragraph
and sentence ends: the cost and the size of the passages are the same), and the vectors and facet keys are
computed by ``library.indexing.REFRESH`` itself, batch by batch.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.models import Permission
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils.http import urlencode

from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory import bench as directory_bench
from directory.bench import BENCH_EMAIL_DOMAIN, focal_point, state_focal_point, words
from directory.models import (
    Organization,
    OrganizationKind,
    Pillar,
    User,
    WorkingGroup,
)
from library import search, selectors
from library.filters import LibraryFilter
from library.indexing import COUNTS, REFRESH
from library.models import Document, FileVersion, Passage, Resource, ResourceUserGrant

RESOURCES = Resource._meta.db_table
DOCUMENTS = Document._meta.db_table
VERSIONS = FileVersion._meta.db_table
PASSAGES = Passage._meta.db_table
PILLARS = Resource.pillars.through._meta.db_table
AUTHORS = Resource.author_organizations.through._meta.db_table
AUDIENCE_TABLE = Resource.audience_organizations.through._meta.db_table
GRANTS = ResourceUserGrant._meta.db_table

#: Resources written (and indexed) per transaction; two connections work through the batches.
BATCH = 1_000
WORKERS = 2
#: Characters a passage holds (as library.extraction.passages cuts them, at most).
PASSAGE = 1_500
#: Sentences in the pool the documents' text is drawn from, and in the Chinese documents' pool.
POOL = 20_000
ZH_POOL = 2_000
SEED = 42

# --- Word lists ---------------------------------------------------------------------------------------------

#: The vocabulary of the documents' text, most frequent first: a word's chance falls along the list (see
#: ``sentence_pool``), so the first words are in almost every document and the last ones in about one in
#: six, as in a real library.
VOCABULARY = words("""
the of and to in a for on with by is that as are be this at from which or it their has have was were an
its not also been all other such these should will may can more into States Member including between
international national security counter-terrorism terrorism terrorist United Nations measures support
implementation cooperation prevention countering violent extremism strategy capacity law enforcement
government authorities legal framework rights human training assistance information sharing border
management criminal justice regional global countries programme project development effective practices
policy legislation response risk threat threats groups persons individuals activities efforts
relevant public private sector civil society community communities organizations entities institutions
agencies approach approaches level levels system systems process processes role roles needs areas area
resolution resolutions Council General Assembly Security Office Counter-Terrorism Committee Directorate
Executive Compact Coordination recommendations recommendation report reports reporting data analysis
technical needs-based tailored comprehensive integrated whole-of-government whole-of-society
coordination mechanisms mechanism national-level strengthening strengthen strengthened enhance enhancing
enhanced ensure ensuring promote promoting address addressing develop developing developed provide
providing provided identify identifying identified assess assessing assessment assessments review
reviewed monitoring evaluation lessons learned good practice practices guidance guidelines principles
standards standard obligations obligation compliance accountability transparency oversight governance
rule law respect protection protect protecting victims survivors women girls youth children gender
equality participation inclusion engagement dialogue partners partnership partnerships stakeholders
donors funding financial resources budget sustainability sustainable long-term short-term medium-term
financing terrorist financing money laundering proceeds crime asset freezing sanctions list listed
designation designated entities individuals ownership beneficial transactions suspicious reports
financial intelligence units banks banking non-profit organizations charities hawala cash couriers
virtual assets cryptocurrency crowdfunding payment platforms fintech regulation regulators supervisory
supervision due diligence customer risk-based travel travellers passengers advance passenger information
name record biometrics biometric identification identity documents fraudulent forged stolen lost
watchlists databases interoperability interpol notices diffusion alerts screening checks verification
border crossing points green blue borders land sea air maritime ports airports aviation cargo containers
shipping vessels piracy coastal surveillance patrol patrols interdiction smuggling trafficking firearms
weapons ammunition explosives improvised devices components precursors chemical biological radiological
nuclear materials detection laboratory forensic evidence battlefield military collection admissibility
prosecution prosecutors judges courts trials investigation investigations investigators police officers
intelligence services exchange mutual legal extradition requests central authority treaties conventions
protocols instruments ratification domestic criminalization offences offence penalties sentencing
detention prisons prison administration radicalization radicalisation disengagement rehabilitation
reintegration returnees returning foreign fighters families camps repatriation minors psychosocial
counselling mentoring education schools teachers curriculum universities research researchers academic
religious leaders faith-based local municipal cities mayors urban rural districts provinces
communications strategic messaging narratives counter-narratives online offline internet content
platforms social media moderation removal referral hate speech propaganda recruitment incitement
glorification apology algorithmic artificial intelligence technologies emerging new drones unmanned
systems cyber cybersecurity attacks critical infrastructure energy water transport telecommunications
health hospitals soft targets crowded places venues events stadiums tourism hotels worship sites
protection preparedness resilience emergency crisis incident incidents first responders medical
casualties recovery memorial remembrance solidarity compensation reparations support services
psychological legal aid association associations networks network platform portal workshop workshops
seminar seminars conference conferences meeting meetings session sessions panel panels discussion
discussions consultation consultations mission missions visit visits deployment experts expert roster
mentors trainers training-of-trainers curricula modules module course courses e-learning manual
handbook toolkit compendium repository library catalogue inventory matrix questionnaire survey surveys
indicators baseline targets results outcomes outputs impact theory change logframe milestone milestones
workplan annual quarterly biennial triennial mandate mandates secretariat headquarters field offices
regional office liaison focal points focal point coordinator coordinators working group groups
subgroup pillar pillars Global Strategy review cycle eighth ninth tenth resolution adopted consensus
negotiations delegations delegation statement statements briefing briefings annex annexes paragraph
paragraphs article articles chapter chapters section sections table tables figure figures box boxes
footnote note notes summary conclusions findings key main challenges gaps gap opportunities priorities
priority next steps way forward follow-up follow request requested requests received responses
respondents questionnaire analysed analysis comparative overview background introduction methodology
scope purpose objectives objective audience structure context trends trend patterns evolving landscape
situation situations conflict post-conflict fragile contexts stabilization peacebuilding peace
development humanitarian nexus action principled neutral impartial independent exemptions carve-outs
unintended consequences impact assessment civic space defenders journalists media freedom expression
privacy data protection safeguards proportionality necessity legality non-discrimination due process
fair trial torture ill-treatment arbitrary arrest complaints remedies ombudsperson institutions
parliamentarians parliament parliamentary legislative drafting draft model provisions laws bills
amendments amended adoption adopted entered force enacted codes code procedure procedures protocol
operational operations joint task force units unit specialised specialized dedicated interagency
inter-agency multi-agency coordination centre centres fusion hubs hub networks sharing platforms secure
channels classified declassified open-source geospatial imagery satellite analytics tools software
hardware equipment procurement donation donated handover maintenance sustainability ownership
beneficiary beneficiaries recipient recipients requesting State host country regions subregion
subregional continental African Asian European American Arab Pacific Caribbean Andean Sahel Maghreb
Horn Lake Chad Basin Central South Southeast West East North Africa Asia Europe Americas Middle Gulf
Balkans Caucasus Mediterranean Baltic Indian Ocean Atlantic Black Sea Danube Great Lakes Southern
Western Eastern Northern countries member neighbouring transit origin destination flows movements
migration migrants refugees asylum displaced persons statelessness nationality citizenship revocation
deprivation civil registration records birth certificates documents issuance secure breeder
iris fingerprints facial recognition templates matching accuracy errors false positives negatives
vendors contracts procurement standards certification accreditation quality assurance audits
auditing internal external evaluations evaluators independent mid-term final inception phase phases
pilot pilots scaling replication replicable transferable adaptable context-specific gender-sensitive
gender-responsive age-sensitive child-sensitive trauma-informed victim-centred survivor-centred
human-rights-based rights-based people-centred community-based community-led youth-led women-led
grassroots peer-to-peer sports culture arts music theatre storytelling vocational employment
livelihoods skills jobs entrepreneurship economic social inclusion marginalised marginalized
grievances drivers push pull factors root causes conditions conducive spread underlying
vulnerabilities vulnerability exposure susceptibility factors resilience protective mitigating
escalation de-escalation early warning signs indicators referral mechanisms multi-disciplinary
case management exit programmes halfway houses probation parole supervision monitoring electronic
risk assessment tools structured professional judgement instruments validation validated pilot-tested
sentenced convicted acquitted pre-trial remand high-risk violent extremist offenders prisoners inmates
staff prison officers wardens classification segregation dispersal concentration units regimes
religious counselling chaplains imams volunteers families family visits contact communication
""")
VOCABULARY = list(dict.fromkeys(VOCABULARY))

#: Rarer words (a specialist's terms): each in about one document in a hundred to one in fifty.
RARE_WORDS = words("""
hawaladar geofencing steganography exfiltration kinship benchmarking deradicalization triangulation
polygraph lawful interception subpoena quarantine cryptanalysis photogrammetry homomorphic watermarking
sextortion doxxing swatting livestreaming memes gamification metaverse blockchain deepfakes
""")

#: The vocabulary of the Chinese documents' text, most frequent first (as VOCABULARY), and their rarer terms:
#: Chinese writes no space between words, so its text is searched by bigrams (library.search).
ZH_VOCABULARY = words("""
的 和 在 与 对 为 是 了 及 等 应 将 各 其 中 国家 会员国 联合国 安全 反恐 恐怖主义 恐怖分子 措施 支持 执行
合作 预防 打击 暴力极端主义 战略 能力 执法 政府 当局 法律 框架 人权 培训 援助 信息 共享 边境 管理 刑事
司法 区域 全球 方案 项目 发展 有效 做法 政策 立法 应对 风险 威胁 团体 个人 活动 努力 公共 私营 部门
民间社会 社区 组织 实体 机构 办法 系统 进程 作用 需求 领域 决议 安理会 大会 办公室 委员会 执行局 契约
协调 建议 报告 数据 分析 技术 综合 加强 增强 确保 促进 处理 制定 提供 识别 评估 审查 监测 评价 经验
教训 良好 指导 原则 标准 义务 遵守 问责 透明 监督 治理 法治 尊重 保护 受害者 幸存者 妇女 女童 青年
儿童 性别 平等 参与 包容 对话 伙伴 伙伴关系 利益攸关方 捐助方 资金 财政 资源 预算 可持续 融资 洗钱
犯罪 收益 资产 冻结 制裁 名单 指定 交易 可疑 金融情报 银行 非营利 慈善 现金 虚拟资产 加密货币 众筹
支付 平台 监管 尽职调查 客户 旅行 旅客 乘客 预报 生物识别 身份 证件 伪造 数据库 互操作 国际刑警
筛查 核查 口岸 陆地 海上 航空 港口 机场 货物 集装箱 航运 船只 海盗 沿海 巡逻 拦截 走私 贩运 枪支
武器 弹药 爆炸物 简易 装置 化学 生物 放射性 核 材料 检测 实验室 法证 证据 战场 起诉 检察官 法官
法院 审判 调查 警察 官员 情报 交流 司法协助 引渡 条约 公约 议定书 批准 国内 刑罪化 罪行 处罚 拘留
监狱 激进化 脱离 康复 重返社会 回返者 外国恐怖主义战斗人员 家庭 营地 遣返 未成年人 心理 教育 学校
教师 大学 研究 宗教 领袖 地方 城市 农村 传播 叙事 网络 互联网 内容 社交媒体 删除 仇恨言论 宣传
招募 煽动 人工智能 新兴技术 无人机 网络安全 攻击 关键基础设施 能源 交通 电信 医院 软目标 旅游 酒店
""")
ZH_RARE_WORDS = words("""
哈瓦拉 地理围栏 隐写术 数据外泄 测谎 合法拦截 性勒索 人肉搜索 直播 模因 游戏化 元宇宙 区块链 深度伪造
""")

#: Sixty themes: the directory's twenty-five and thirty-five more.
THEMES = [
    *directory_bench.THEMES,
    "terrorist use of the internet",
    "countering hate speech",
    "chemical and biological terrorism",
    "nuclear security",
    "explosives and improvised explosive devices",
    "soft target protection",
    "major sporting events",
    "tourism security",
    "urban security",
    "community policing",
    "prosecution of terrorist offences",
    "battlefield evidence",
    "mutual legal assistance",
    "extradition",
    "international humanitarian law",
    "humanitarian exemptions",
    "sanctions implementation",
    "advance passenger information",
    "passenger name records",
    "watchlists",
    "travel documents",
    "returnees and their families",
    "children affected by terrorism",
    "women, peace and security",
    "religious leaders",
    "local authorities",
    "parliamentary engagement",
    "national action plans",
    "national counter-terrorism strategies",
    "risk assessment",
    "artificial intelligence",
    "unmanned aircraft systems",
    "virtual assets",
    "non-profit organizations",
    "kidnapping for ransom",
]

TITLE_OPENINGS = [
    "Guidance on",
    "Handbook on",
    "Report on",
    "Good practices in",
    "Training manual:",
    "Lessons learned in",
    "Technical guide to",
    "Policy brief:",
    "Assessment of",
    "Toolkit for",
    "Compendium of practices on",
    "Model legislative provisions on",
    "Regional workshop on",
    "Outcome document: expert meeting on",
    "Strategic framework for",
    "Mapping study of",
    "Practitioners' guide to",
    "Capacity-building programme on",
    "Baseline survey on",
    "Recommendations on",
]
TITLE_ENDINGS = [
    "",
    "",
    "",
    " in {region}",
    " in {region}",
    ": a comparative study",
    " for practitioners",
    " — lessons from {region}",
    ": second edition",
    " for law enforcement",
    " for judges and prosecutors",
    " for parliamentarians",
]

#: (type, share, file kind when not PDF or Word).
TYPES = [
    ("report", 0.25),
    ("guidance", 0.15),
    ("training", 0.12),
    ("meeting_record", 0.15),
    ("publication", 0.15),
    ("good_practice", 0.12),
    ("dataset", 0.06),
]
#: (language, share of the resources in it first); a quarter have a second one.
LANGUAGES = [("en", 0.67), ("fr", 0.1), ("es", 0.08), ("ar", 0.07), ("ru", 0.05), ("zh", 0.03)]


def sentence_pool(size: int = POOL, seed: int = SEED, *, chinese: bool = False) -> list[str]:
    """Sentences of 8 to 24 words. A word's rank in VOCABULARY is drawn as len * u⁴ (u uniform): the first
    words are most of the text, the last ones are in about one document in six. One sentence in forty holds
    a rare word. Chinese sentences (ZH_VOCABULARY) are written as Chinese is, without spaces."""
    rng = random.Random(seed)  # noqa: S311 -- a reproducible data set, not a secret
    words, rare = (ZH_VOCABULARY, ZH_RARE_WORDS) if chinese else (VOCABULARY, RARE_WORDS)
    comma, space, stop = ("，", "", "。") if chinese else (",", " ", ".")
    sentences = []
    for _ in range(size):
        count = rng.randint(8, 24)
        picked = [words[int(len(words) * rng.random() ** 4)] for _ in range(count)]
        if rng.random() < 1 / 40:
            picked[rng.randrange(count)] = rng.choice(rare)
        if count > 12 and rng.random() < 0.4:
            picked[rng.randrange(3, count - 3)] += comma
        sentence = space.join(picked)
        sentences.append(sentence[0].upper() + sentence[1:] + stop)
    return sentences


# --- SQL ----------------------------------------------------------------------------------------------------

# Each worker's connection holds the sentence pool in a temporary table (one parameter, once).
CREATE_POOL = """
CREATE TEMPORARY TABLE IF NOT EXISTS bench_sentence (id int PRIMARY KEY, body text NOT NULL);
TRUNCATE bench_sentence;
INSERT INTO bench_sentence SELECT n, s FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n);
ANALYZE bench_sentence
"""

# The resources numbered %s to %s of the data set. %s: organisations, Working Groups, themes, Member States'
# ISO3 codes, bench users, title openings and endings, regions, (type, cumulated share), (language,
# cumulated share), the pool's size.
INSERT_RESOURCES = f"""
WITH p AS (SELECT %s::bigint[] AS orgs, %s::bigint[] AS wgs, %s::text[] AS themes, %s::text[] AS states,
                  %s::bigint[] AS users, %s::text[] AS openings, %s::text[] AS endings, %s::text[] AS regions,
                  %s::text[] AS types, %s::float[] AS type_shares, %s::text[] AS langs, %s::float[] AS lang_shares,
                  %s::int AS pool),
src AS (
    SELECT g, random() AS r_vis, random() AS r_owner, random() AS r_wg, random() AS r_type, random() AS r_pub,
           random() AS r_added, random() AS r_lang, random() AS r_lang2, random() AS r_themes,
           random() AS r_countries, random() AS r_open, random() AS r_end, random() AS r_region,
           random() AS r_user, random() AS r_s1, random() AS r_s2
    FROM generate_series(%s::int, %s::int) g
),
shaped AS (
    SELECT src.*, p.*,
           CASE WHEN src.r_vis < 0.3 THEN 'platform' WHEN src.r_vis < 0.5 THEN 'compact'
                WHEN src.r_vis < 0.7 THEN 'working_group' WHEN src.r_vis < 0.8 THEN 'organizations'
                ELSE 'owner' END AS visibility,
           p.types[(SELECT min(i) FROM generate_subscripts(p.types, 1) i WHERE p.type_shares[i] >= src.r_type)]
               AS resource_type,
           p.langs[(SELECT min(i) FROM generate_subscripts(p.langs, 1) i WHERE p.lang_shares[i] >= src.r_lang)]
               AS first_language,
           -- An addition date over three years (a few hundred in the last week at 100,000 resources).
           now() - src.r_added * interval '1095 days' AS added,
           -- Publication dates from 2005 to today, more of them recent.
           least(current_date, date '2005-01-01' + floor(sqrt(src.r_pub) * (current_date - date '2005-01-01'))::int)
               AS published
    FROM src CROSS JOIN p
),
themed AS (
    SELECT s.*,
           -- Every subquery refers to the row (s.g): an uncorrelated one would be run once for all.
           ARRAY(SELECT DISTINCT s.themes[1 + floor(random() * array_length(s.themes, 1))::int + 0 * s.g]
                 FROM generate_series(1, 1 + floor(s.r_themes * 3)::int)) AS tags,
           ARRAY(SELECT DISTINCT s.states[1 + floor(random() * array_length(s.states, 1))::int + 0 * s.g]
                 FROM generate_series(1, floor(s.r_countries * 4)::int)) AS countries,
           CASE WHEN s.r_lang2 < 0.25 THEN
                ARRAY[s.first_language,
                      (SELECT l FROM unnest(s.langs) l WHERE l <> s.first_language
                       ORDER BY l = 'en' DESC, l = 'fr' DESC, random() + 0 * s.g LIMIT 1)]::varchar[]
                ELSE ARRAY[s.first_language]::varchar[] END AS languages
    FROM shaped s
)
INSERT INTO {RESOURCES} (owner_id, author_id, visibility, working_group_id, title, summary, resource_type, tags,
                         countries, languages, publication_date, external_url, created_at, updated_at,
                         deleted_at, deleted_by_id, search_vector, document_vector, facet_keys)
SELECT t.orgs[1 + floor(t.r_owner * array_length(t.orgs, 1))::int],
       t.users[1 + floor(t.r_user * array_length(t.users, 1))::int],
       t.visibility,
       CASE WHEN t.visibility = 'working_group' THEN t.wgs[1 + floor(t.r_wg * array_length(t.wgs, 1))::int] END,
       t.openings[1 + floor(t.r_open * array_length(t.openings, 1))::int] || ' ' || t.tags[1]
           || replace(t.endings[1 + floor(t.r_end * array_length(t.endings, 1))::int], '{{region}}',
                      t.regions[1 + floor(t.r_region * array_length(t.regions, 1))::int]),
       'This ' || replace(t.resource_type, '_', ' ') || ' covers ' || array_to_string(t.tags, ', ')
           || CASE WHEN cardinality(t.countries) > 0 THEN ' with a focus on ' || array_to_string(t.countries, ', ')
                   ELSE '' END
           || '. ' || (SELECT body FROM bench_sentence WHERE id = 1 + floor(t.r_s1 * t.pool)::int)
           || ' ' || (SELECT body FROM bench_sentence WHERE id = 1 + floor(t.r_s2 * t.pool)::int),
       t.resource_type, t.tags, t.countries, t.languages, t.published, '', t.added, t.added,
       NULL, NULL, NULL, NULL, '{{}}'
FROM themed t
ORDER BY t.g
RETURNING id
"""

# %s: the pillars, the organisations, the new resources' ids.
INSERT_LINKS = f"""
WITH p AS (SELECT %s::bigint[] AS pillars, %s::bigint[] AS orgs),
fresh AS (SELECT r.id, r.owner_id, r.visibility, random() AS r1, random() AS r2
          FROM {RESOURCES} r WHERE r.id = ANY(%s::bigint[])),
pillars AS (
    INSERT INTO {PILLARS} (resource_id, pillar_id)
    SELECT fresh.id, p.pillars[1 + (floor(fresh.r1 * 1000)::int + n) %% array_length(p.pillars, 1)]
    FROM fresh CROSS JOIN p CROSS JOIN generate_series(0, 1) n
    WHERE n = 0 OR fresh.r1 < 0.35
    ON CONFLICT DO NOTHING
),
authors AS (
    INSERT INTO {AUTHORS} (resource_id, organization_id)
    SELECT fresh.id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int + 0 * fresh.id]
    FROM fresh CROSS JOIN p
    WHERE fresh.r2 < 0.15
    ON CONFLICT DO NOTHING
)
INSERT INTO {AUDIENCE_TABLE} (resource_id, organization_id)
SELECT fresh.id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int + 0 * fresh.id]
FROM fresh CROSS JOIN p CROSS JOIN generate_series(1, 2)
WHERE fresh.visibility = 'organizations'
ON CONFLICT DO NOTHING
"""

# One resource in a hundred shared with a person. %s: the permission, the bench users, the ids.
INSERT_GRANTS = f"""
WITH p AS (SELECT %s::bigint AS permission, %s::bigint[] AS users)
INSERT INTO {GRANTS} (permission_id, content_object_id, user_id)
SELECT p.permission, r.id, p.users[1 + floor(random() * array_length(p.users, 1))::int + 0 * r.id]
FROM {RESOURCES} r CROSS JOIN p
WHERE r.id = ANY(%s::bigint[]) AND random() < 0.01
ON CONFLICT DO NOTHING
"""

INSERT_DOCUMENTS = f"""
INSERT INTO {DOCUMENTS} (resource_id, language, label, created_at)
SELECT r.id, r.languages[1], '', r.created_at FROM {RESOURCES} r WHERE r.id = ANY(%s::bigint[]) ORDER BY r.id
"""

# The current (first) version of each new document, with its text: 2,000 to 30,000 characters, 8,000 on
# average, paragraphs of five sentences from the pool (the Chinese pool, after it, for a Chinese resource).
# %s: the pool's size and average sentence length, the Chinese pool's, the ids.
INSERT_VERSIONS = f"""
WITH p AS (SELECT %s::int AS pool, %s::float AS sentence_length, %s::int AS zh_pool,
                  %s::float AS zh_sentence_length),
docs AS (
    SELECT d.id, d.resource_id, d.created_at, r.resource_type, r.author_id,
           2000 + 28000 * power(random(), 3.5) AS target, random() AS r_kind, r.languages[1] = 'zh' AS zh
    FROM {DOCUMENTS} d JOIN {RESOURCES} r ON r.id = d.resource_id
    WHERE d.resource_id = ANY(%s::bigint[])
),
texts AS (
    SELECT docs.*,
           CASE WHEN docs.resource_type = 'dataset' THEN (CASE WHEN docs.r_kind < 0.5 THEN 'xlsx' ELSE 'csv' END)
                WHEN docs.resource_type = 'training' AND docs.r_kind < 0.4 THEN 'pptx'
                WHEN docs.r_kind < 0.7 THEN 'pdf' WHEN docs.r_kind < 0.95 THEN 'docx' ELSE 'odt' END AS kind,
           -- The sentences are drawn first (OFFSET 0 keeps random() there), then read by primary key.
           (SELECT rtrim(string_agg((SELECT s.body FROM bench_sentence s WHERE s.id = picks.sentence)
                                    || CASE WHEN picks.k %% 5 = 0 THEN E'\\n\\n' ELSE ' ' END, ''
                                    ORDER BY picks.k))
            FROM (SELECT k, CASE WHEN docs.zh THEN p.pool + 1 + floor(random() * p.zh_pool)::int
                                 ELSE 1 + floor(random() * p.pool)::int + 0 * docs.id END AS sentence
                  FROM generate_series(1, greatest(10, round(docs.target / CASE WHEN docs.zh
                       THEN p.zh_sentence_length ELSE p.sentence_length END))::int) k
                  OFFSET 0) picks) AS body
    FROM docs CROSS JOIN p
)
INSERT INTO {VERSIONS} (document_id, number, is_current, file, original_name, kind, content_type, size, sha256,
                        uploaded_by_id, uploaded_at, extraction_status, extracted_text, extraction_truncated,
                        extracted_at, extraction_attempts)
SELECT t.id, 1, true,
       'library/' || left(h.sha, 2) || '/' || h.sha || '-bench.' || t.kind,
       replace(t.resource_type, '_', '-') || '-' || t.resource_id || '.' || t.kind,
       t.kind,
       CASE t.kind WHEN 'pdf' THEN 'application/pdf'
                   WHEN 'docx' THEN 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
                   WHEN 'xlsx' THEN 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
                   WHEN 'pptx' THEN 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
                   WHEN 'odt' THEN 'application/vnd.oasis.opendocument.text'
                   ELSE 'text/csv; charset=utf-8' END,
       30000 + length(t.body) * 9, h.sha, t.author_id, t.created_at, 'searchable', t.body, false, t.created_at, 1
FROM texts t CROSS JOIN LATERAL (SELECT encode(sha256(('bench resource ' || t.resource_id)::bytea), 'hex') AS sha) h
ORDER BY t.id
"""

# What library.indexing.index_passages writes, every PASSAGE characters.
INSERT_PASSAGES = f"""
INSERT INTO {PASSAGES} (version_id, resource_id, start, length, config, vector)
SELECT v.id, d.resource_id, s.start, least({PASSAGE}, length(v.extracted_text) - s.start), library_config(l.lang),
       library_vector(ARRAY[l.lang]::varchar[], substr(v.extracted_text, s.start + 1, {PASSAGE}), 'D')
FROM {DOCUMENTS} d
JOIN {RESOURCES} r ON r.id = d.resource_id
JOIN {VERSIONS} v ON v.document_id = d.id AND v.is_current
CROSS JOIN LATERAL (SELECT coalesce(nullif(d.language, ''), r.languages[1], 'en')::varchar AS lang) l
CROSS JOIN LATERAL generate_series(0, length(v.extracted_text) - 1, {PASSAGE}) s(start)
WHERE d.resource_id = ANY(%s::bigint[])
ORDER BY v.id, s.start
"""

# library.indexing.REFRESH with positional parameters (pgtrigger.ignore prepends one of its own).
REFRESH_IDS = REFRESH.count("%(ids)s")
REFRESH_POSITIONAL = REFRESH.replace("%(ids)s", "%s")


# --- Generation ---------------------------------------------------------------------------------------------


def _cumulated(pairs) -> tuple[list[str], list[float]]:
    names, shares, total = [], [], 0.0
    for name, share in pairs:
        total += share
        names.append(name)
        shares.append(total)
    shares[-1] = 1.0
    return names, shares


class Generator:
    """What every batch needs, read once; ``batch`` runs in a worker thread on that thread's connection."""

    def __init__(self, database: str):
        self.database = database
        organizations = Organization.objects.filter(is_active=True)
        self.organizations = list(organizations.order_by("pk").values_list("pk", flat=True))
        self.states = sorted(
            organizations.filter(kind=OrganizationKind.MEMBER_STATE)
            .exclude(iso3="")
            .values_list("iso3", flat=True)
        )
        self.groups = list(
            WorkingGroup.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)
        )
        self.pillars = list(Pillar.objects.order_by("number").values_list("pk", flat=True))
        self.users = list(
            User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self.permission = Permission.objects.get(
            codename="view_resource", content_type__app_label="library"
        ).pk
        self.pool = sentence_pool()
        self.sentence_length = sum(len(s) + 1 for s in self.pool) / len(self.pool)
        self.zh_pool = sentence_pool(ZH_POOL, chinese=True)
        self.zh_sentence_length = sum(len(s) + 1 for s in self.zh_pool) / len(self.zh_pool)
        self.regions = [region for region, _code in directory_bench.REGIONS]
        self.types = _cumulated(TYPES)
        self.languages = _cumulated(LANGUAGES)
        self.seconds = {"resources": 0.0, "text": 0.0, "passages": 0.0, "vectors": 0.0}
        self.lock = threading.Lock()
        self.done = 0

    def prepare(self) -> None:
        """The calling thread's connection: the bench database, with the sentence pool."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            name = cursor.fetchone()[0]
            if name != self.database:
                raise RuntimeError(f"library bench: a worker connected to {name}, not {self.database}")
            cursor.execute(CREATE_POOL, [self.pool + self.zh_pool])

    def batch(self, first: int, last: int) -> int:
        """Resources numbered first..last of the data set, with their text, passages and index, in one
        transaction (a batch cut short leaves nothing behind)."""
        if getattr(connection, "_library_bench_pool", None) is not self:
            self.prepare()
            connection._library_bench_pool = self
        timings = {}
        with transaction.atomic(), connection.cursor() as cursor:
            # The same data for the same numbers, whichever worker writes them.
            cursor.execute("SELECT setseed(%s)", [(first % 1_000_003) / 1_000_003])
            started = time.perf_counter()
            with ignoring_audit("library"):
                cursor.execute(
                    INSERT_RESOURCES,
                    [
                        self.organizations,
                        self.groups,
                        THEMES,
                        self.states,
                        self.users,
                        TITLE_OPENINGS,
                        TITLE_ENDINGS,
                        self.regions,
                        *self.types,
                        *self.languages,
                        len(self.pool),
                        first,
                        last,
                    ],
                )
                ids = [pk for (pk,) in cursor.fetchall()]
                cursor.execute(INSERT_LINKS, [self.pillars, self.organizations, ids])
                cursor.execute(INSERT_GRANTS, [self.permission, self.users, ids])
                cursor.execute(INSERT_DOCUMENTS, [ids])
                timings["resources"] = time.perf_counter() - started
                started = time.perf_counter()
                cursor.execute(
                    INSERT_VERSIONS,
                    [len(self.pool), self.sentence_length, len(self.zh_pool), self.zh_sentence_length, ids],
                )
                timings["text"] = time.perf_counter() - started
                started = time.perf_counter()
                cursor.execute(INSERT_PASSAGES, [ids])
                timings["passages"] = time.perf_counter() - started
                started = time.perf_counter()
                cursor.execute(REFRESH_POSITIONAL, [ids] * REFRESH_IDS)
                timings["vectors"] = time.perf_counter() - started
        with self.lock:
            for step, seconds in timings.items():
                self.seconds[step] += seconds
        return len(ids)

    def work(self, ranges: list[tuple[int, int]], write, total: int) -> None:
        try:
            for first, last in ranges:
                written = self.batch(first, last)
                with self.lock:
                    before, self.done = self.done, self.done + written
                    if before // 10_000 != self.done // 10_000 or self.done == total:
                        write(f"library: {self.done:,} of {total:,} new resources written")
        finally:
            connection.close()


def generate(scale: Scale, write) -> None:
    existing = Resource.objects.count()
    if existing >= scale.resources:
        write(f"library: {existing:,} resources already there")
        return
    started = time.perf_counter()
    generator = Generator(connection.settings_dict["NAME"])
    ranges = [
        (first, min(first + BATCH - 1, scale.resources))
        for first in range(existing + 1, scale.resources + 1, BATCH)
    ]
    total = scale.resources - existing
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [
            pool.submit(generator.work, ranges[worker::WORKERS], write, total) for worker in range(WORKERS)
        ]
        for future in futures:
            future.result()
    connections.close_all()
    COUNTS.forget()
    written = time.perf_counter() - started
    # The planner must know the new rows; VACUUM cannot run in a transaction.
    analyze = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in (RESOURCES, DOCUMENTS, VERSIONS, PASSAGES, PILLARS, AUTHORS, AUDIENCE_TABLE, GRANTS):
            cursor.execute(f"{analyze} {table}")
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in generator.seconds.items())
    write(
        f"library: {total:,} resources created ({Resource.objects.count():,} in all) in "
        f"{written:.0f} s ({steps}, summed over {WORKERS} connections), then {analyze} in "
        f"{time.perf_counter() - started - written:.0f} s"
    )


# --- Measurements -------------------------------------------------------------------------------------------

#: A typical search: two words, a specialist's term (in one document in twenty) and a common one: both are in
#: about 3 % of the documents.
TYPICAL_QUERY = "livestreaming attacks"
#: The same in Chinese ("livestreaming", "attacks"): the Chinese resources' text is searched by bigrams.
CHINESE_QUERY = "直播 攻击"


def first_page(user, data: dict) -> list[Resource]:
    """What the search view reads for its rows: the ranked first page the reader may see, with its documents
    and the snippets of the page's hits."""
    results = selectors.ordered(LibraryFilter(data, queryset=selectors.resources_for(user)).qs, data)
    rows = selectors.with_documents(results[:20])
    found = search.snippets([resource.pk for resource in rows], search.clean_query(data.get("q")))
    for resource in rows:
        resource.snippet = found.get(resource.pk)
    return rows


def capped_count(user, data: dict) -> tuple[int, bool]:
    return LibraryFilter(data, queryset=selectors.resources_for(user)).qs.count_capped(1000)


def uncached_facets(user, data: dict) -> list[dict]:
    """The search page's facet counts with the cache out of the way (the first reader of a search)."""
    COUNTS.forget()
    return selectors.facets(user, data, LibraryFilter(data).form)


def measurements(scale: Scale, write):
    data = f"{scale.resources:,} resources"
    entity = focal_point()
    state = state_focal_point()
    searched = {"q": TYPICAL_QUERY}
    hits = search.search(Resource.objects.all(), TYPICAL_QUERY).count()
    found = f"{data}, “{TYPICAL_QUERY}” in {hits:,}"
    search_url = f"{reverse('library:search')}?{urlencode(searched)}"
    pillar = Pillar.objects.order_by("number").first()
    visible = selectors.resources_for(entity).order_by("-publication_date", "-pk").first()
    yield Page(
        "library page: search, ranked, facets included (entity focal point)",
        search_url,
        user=lambda: entity,
        data=found,
    )
    for who, user in (("entity focal point", entity), ("Member State focal point", state)):
        yield Query(
            f"library: ranked search, first page with snippets ({who})",
            lambda user=user: first_page(user, searched),
            found,
            target_ms=50,
        )
    yield Query(
        "library: capped count of a search (entity focal point)",
        lambda: capped_count(entity, searched),
        found,
    )
    yield Query(
        "library: facet counts of a search, uncached (entity focal point)",
        lambda: uncached_facets(entity, searched),
        found,
        target_ms=150,
    )
    yield Page(
        "library page: overview (entity focal point)",
        reverse("library:overview"),
        user=lambda: entity,
        data=data,
        target_ms=30,
    )
    yield Page(
        "library page: browse a pillar (entity focal point)",
        f"{reverse('library:search')}?{urlencode({'pillar': pillar.pk})}",
        user=lambda: entity,
        data=data,
        target_ms=30,
    )
    yield Page(
        "library page: a resource (entity focal point)",
        reverse("library:resource", kwargs={"pk": visible.pk}),
        user=lambda: entity,
        data=data,
        target_ms=30,
    )
    yield Page(
        "library page: search, ranked, facets included (Member State focal point)",
        search_url,
        user=lambda: state,
        data=found,
    )
    api = reverse("api:library-resource-list")
    yield Page(
        "API: library resources, first page (entity focal point)",
        api,
        user=lambda: entity,
        data=data,
        target_ms=30,
    )
    yield Page(
        "API: library search, first page (Member State focal point)",
        f"{api}?{urlencode(searched)}",
        user=lambda: state,
        data=found,
        target_ms=50,
    )
    in_chinese = {"q": CHINESE_QUERY}
    chinese_hits = search.search(Resource.objects.all(), CHINESE_QUERY).count()
    chinese_found = f"{data}, 3 % in Chinese, “{CHINESE_QUERY}” in {chinese_hits:,}"
    yield Page(
        "library page: search in Chinese, ranked, facets included (entity focal point)",
        f"{reverse('library:search')}?{urlencode(in_chinese)}",
        user=lambda: entity,
        data=chinese_found,
    )
    yield Query(
        "library: ranked search in Chinese, first page with snippets (entity focal point)",
        lambda: first_page(entity, in_chinese),
        chinese_found,
        target_ms=50,
    )
