"""Searching the library in scripts written without spaces between words (Chinese; Japanese, Korean, Thai):
a word is found in the middle of a sentence — in a title, a summary, a file — highlighted, with the
websearch syntax, alongside English, and never past the audience; the stemmed languages are unchanged."""

from __future__ import annotations

import random

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.access import Visibility
from library import samples
from library.extraction import ExtractionStatus
from library.models import FileVersion
from tests.conftest import signed_in
from tests.library.conftest import result_titles
from tests.search.conftest import groups_of

pytestmark = pytest.mark.django_db

# "Member States should strengthen border management cooperation and combat the financing of terrorism."
SENTENCE = "各会员国应加强边境管理合作，打击恐怖主义融资活动。"
# "The report reviews the prevention of violent extremism in schools and communities."
FILE_TEXT = "本报告审查了学校和社区中预防暴力极端主义的工作。"


def docx_upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.docx_bytes("文件", [text]))


def search(client, query: str, **params):
    return client.get(reverse("library:search"), {"q": query, **params})


def chinese(add_resource, user, title: str, **fields):
    return add_resource(user, title=title, languages=["zh"], file_language="zh", **fields)


@pytest.fixture
def chinese_library(add_resource, unodc_user):
    """Three Chinese resources: the word searched for is in the middle of the title of one, of the summary
    of another, of the file's text of the third — and one English resource."""
    chinese(add_resource, unodc_user, f"关于{SENTENCE}的指南", summary="一般性介绍。")
    chinese(add_resource, unodc_user, "年度报告", summary=f"本年度：{SENTENCE}")
    chinese(add_resource, unodc_user, "学校工作", summary="概述。", files=[docx_upload("zh.docx", FILE_TEXT)])
    add_resource(unodc_user, title="Border management in the Sahel")


def test_postgresql_alone_reads_a_chinese_clause_as_one_word():
    # The problem measured: the parser cuts at spaces and punctuation only, so a word inside a clause is not
    # a word of the vector; the library's vector holds it.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('simple', %s) @@ to_tsquery('simple', '管理'),"
            " library_vector(ARRAY['zh']::varchar[], %s, 'A') @@ library_query('管理')",
            [SENTENCE, SENTENCE],
        )
        assert cursor.fetchone() == (False, True)


def test_a_chinese_word_in_the_middle_of_a_title_summary_or_file_is_found(chinese_library, unodc_user):
    client = signed_in(unodc_user)
    assert FileVersion.objects.get().extraction_status == ExtractionStatus.SEARCHABLE

    # a word from the middle of the sentence finds the title (first: title above summary) and the summary
    assert result_titles(search(client, "边境管理")) == [f"关于{SENTENCE}的指南", "年度报告"]
    assert result_titles(search(client, "融资")) == [f"关于{SENTENCE}的指南", "年度报告"]
    # a word from the middle of the file's text finds its resource, with the word marked in the snippet
    response = search(client, "暴力极端主义")
    assert result_titles(response) == ["学校工作"]
    assert "<mark>暴力极端主义</mark>" in response.content.decode()
    # characters that are in the text, but not one after the other, are not a word of it
    assert result_titles(search(client, "边理")) == []


def test_websearch_syntax_applies_to_whole_chinese_words(chinese_library, unodc_user):
    client = signed_in(unodc_user)
    assert sorted(result_titles(search(client, "暴力极端主义 OR 边境管理"))) == sorted(
        [f"关于{SENTENCE}的指南", "年度报告", "学校工作"]
    )
    assert result_titles(search(client, "边境管理 -指南")) == ["年度报告"]
    assert result_titles(search(client, '"管理合作"')) == [f"关于{SENTENCE}的指南", "年度报告"]
    # words that must follow each other (quotes, punctuation) are all required, in text without spaces too
    assert result_titles(search(client, '"边境管理 合作"')) == [f"关于{SENTENCE}的指南", "年度报告"]
    assert result_titles(search(client, "边境管理，合作")) == [f"关于{SENTENCE}的指南", "年度报告"]
    assert result_titles(search(client, "合作，边境管理 -年度")) == [f"关于{SENTENCE}的指南"]


def test_mixed_chinese_and_english(add_resource, unodc_user):
    chinese(add_resource, unodc_user, "UNODC边境管理手册", summary="A handbook for border police.")
    chinese(add_resource, unodc_user, "边境管理手册", summary="概述。")
    client = signed_in(unodc_user)

    assert result_titles(search(client, "边境管理 police")) == ["UNODC边境管理手册"]
    assert result_titles(search(client, "UNODC 手册")) == ["UNODC边境管理手册"]
    assert sorted(result_titles(search(client, "手册"))) == ["UNODC边境管理手册", "边境管理手册"]


def test_a_one_character_query_finds_the_words_it_starts(chinese_library, unodc_user):
    client = signed_in(unodc_user)
    # "暴" starts 暴力 in the file; "境" starts 境管 in the title and the summary
    response = search(client, "暴")
    assert response.status_code == 200
    assert result_titles(response) == ["学校工作"]
    assert result_titles(search(client, "境")) == [f"关于{SENTENCE}的指南", "年度报告"]
    # a character in no text finds nothing, and says so as any search does
    response = search(client, "龙")
    assert response.status_code == 200
    assert result_titles(response) == []


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("テロ対策のための国境管理ガイドライン", "国境管理"),  # Japanese: kanji
        ("テロ対策のための国境管理ガイドライン", "ガイドライン"),  # Japanese: katakana
        ("대테러협력에관한보고서", "보고서"),  # Korean, written without its usual spaces
        ("การจัดการชายแดนที่มีประสิทธิภาพ", "ชายแดน"),  # Thai: "border" in "effective border management"
    ],
)
def test_japanese_korean_and_thai_words_are_found_inside_a_sentence(add_resource, unodc_user, title, query):
    add_resource(unodc_user, title=title, summary="-", languages=["en"])
    assert result_titles(search(signed_in(unodc_user), query)) == [title]


def test_russian_and_arabic_are_still_stemmed(add_resource, unodc_user):
    add_resource(unodc_user, title="Управление границами в регионе", languages=["ru"], summary="Обзор.")
    add_resource(unodc_user, title="مكافحة الإرهابيين والتطرف", languages=["ar"], summary="لمحة.")
    client = signed_in(unodc_user)

    # another form of the word: the stemmers' part of the query, as before
    assert result_titles(search(client, "граница")) == ["Управление границами в регионе"]
    assert result_titles(search(client, "إرهابي")) == ["مكافحة الإرهابيين والتطرف"]


def test_a_restricted_chinese_resource_of_another_organisation_is_not_found(
    add_resource, unodc_user, kenya_user
):
    # given a UNODC-only Chinese resource whose file holds a secret sentence, and a platform-wide one
    chinese(
        add_resource,
        unodc_user,
        "内部评估",
        summary="概述。",
        visibility=Visibility.OWNER,
        files=[docx_upload("secret.docx", "机密：蒙巴萨港口的线人网络。")],
    )
    chinese(add_resource, unodc_user, "港口安全指南", summary="港口安全的基本知识。")

    # when Kenya's focal point searches for words of the secret sentence
    response = search(signed_in(kenya_user), "线人网络 港口")
    body = response.content.decode()

    # then neither the restricted resource nor any of its text appears, in the library or the search box
    assert result_titles(response) == []
    assert "内部评估" not in body
    assert "蒙巴萨" not in body
    assert result_titles(search(signed_in(kenya_user), "港口")) == ["港口安全指南"]
    box = signed_in(kenya_user).get(reverse("search:results"), {"q": "线人网络"}).content.decode()
    assert "内部评估" not in box
    assert "蒙巴萨" not in box
    # while UNODC's own people find it
    assert result_titles(search(signed_in(unodc_user), "线人网络")) == ["内部评估"]


@pytest.mark.parametrize(
    "query",
    ["。，！", "「」『』", "——……", "恐" * 5_000, SENTENCE * 50, "'恐怖' & | !(", "-恐怖", '"" OR 恐怖 -'],
)
def test_odd_chinese_queries_give_a_normal_page(chinese_library, unodc_user, query):
    response = search(signed_in(unodc_user), query)
    assert response.status_code == 200


def test_chinese_punctuation_alone_is_no_query(unodc_user):
    response = search(signed_in(unodc_user), "。，！")
    assert "Type some words to search for" in response.content.decode()


def test_the_search_box_finds_the_chinese_resource_in_the_library_group(chinese_library, unodc_user):
    response = signed_in(unodc_user).get(reverse("search:results"), {"q": "暴力极端主义"})
    assert response.status_code == 200
    assert "学校工作" in groups_of(response)["resources"]
    assert "<mark>暴力极端主义</mark>" in response.content.decode()


def test_a_chinese_search_makes_the_same_queries_for_more_results(add_resource, unodc_user):
    client = signed_in(unodc_user)
    chinese(add_resource, unodc_user, "边境报告", summary="概述。", files=[docx_upload("0.docx", SENTENCE)])
    search(client, "边境管理")  # the session's first request does one-off work

    def count() -> int:
        cache.clear()  # facet counts computed, not read from the cache, in both runs
        with CaptureQueriesContext(connection) as queries:
            assert search(client, "边境管理", type="guidance").status_code == 200
        return len(queries)

    few = count()
    for n in range(4):
        chinese(
            add_resource,
            unodc_user,
            f"边境报告{n}",
            summary="概述。",
            tags=f"主题{n}",
            files=[docx_upload(f"{n}.docx", f"{n}{SENTENCE}")],
        )
    assert count() == few


def test_a_chinese_text_too_long_for_a_vector_has_its_beginning_indexed():
    # 400,000 characters drawn at random: far more distinct bigrams than the 1 MB a vector holds
    rng = random.Random(0)
    many = "".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(400_000))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v @@ library_query('边境管理'), v @@ library_query('海关')"
            " FROM library_vector(ARRAY['zh']::varchar[], %s, 'D') v",
            [f"边境管理，{many}，海关"],
        )
        assert cursor.fetchone() == (True, False)
