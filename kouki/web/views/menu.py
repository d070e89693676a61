"""メニュー: what this member of staff may open, by permission."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Perm
from kouki.web.access import staff_user, staff_view

MENU: tuple[tuple[Perm, str, str, str], ...] = (
    (Perm.VIEW_PERSON, "web:person_search", "宛名検索",
     "氏名カナ・生年月日・宛名番号で検索し、宛名の詳細と履歴を表示します"),
    (Perm.SEARCH_BY_PERSONAL_NUMBER, "web:person_search_by_number", "個人番号で検索",
     "参照理由を記録して個人番号から宛名を検索します"),
    (Perm.JUKINET_LOOKUP, "web:jukinet_lookup", "住基ネット照会",
     "個人番号カード等の提示がないとき・転入者の確認に、個人番号または4情報で本人確認情報を照会します"),
    (Perm.INQUIRE, "web:inquiry", "情報照会(中間サーバ)",
     "年金給付関係情報・他の広域連合の保険料徴収情報を、照会理由を記録して情報提供ネットワークシステムで照会します"),
    (Perm.EXECUTE_TRANSFER, "web:transfer_list", "移転定義一覧",
     "評価書に記載した庁内外への移転(15件)の移転先・目的・根拠・方法・頻度と承認の状況です"),
    (Perm.CONFIRM_PERSONAL_NUMBER, "web:pending_list", "個人番号確認リスト",
     "既存と異なる番号・空欄で届いた番号を確認し、反映または却下します"),
    (Perm.VIEW_AUDIT, "web:audit_search", "監査記録の検索",
     "ログイン・ロック・拒否・更新・ファイル・個人番号の参照・宛名詳細の閲覧を、宛名(氏名・カナ・生年月日・"
     "宛名番号)・職員・操作・ファイル・期間で検索し、宛名ごとに誰が番号を見たかを確認します"),
    (Perm.VIEW_AUDIT, "web:reference_log", "個人番号参照記録",
     "誰が・いつ・どの端末で・何のために個人番号を参照したかを確認します"),
    (Perm.VIEW_AUDIT, "web:inquiry_records", "情報提供等記録(情報照会)",
     "中間サーバによる情報照会の記録(照会者・提供者・日時・項目・不開示・照会理由)を確認します"),
    (Perm.VIEW_AUDIT, "web:alert_list", "監査警告",
     "個人番号の表示や宛名詳細の閲覧が短時間・大量に行われたときの警告を確認し、確認メモを記録します"),
    (Perm.VIEW_AUDIT, "web:audit_reviews", "監査ログの月次点検",
     "月ごとの点検報告書(参照・拒否・ロック・時間外・大量処理・移転・アカウント変更・警告・受付票)を印刷し、点検の所見を記録します"),
    (Perm.VIEW_RETENTION, "web:retention_plan", "保存期間と消去対象",
     "記録の種類ごとの保存期間・根拠と、保存期間を過ぎて消去の対象となる件数を確認します"),
    (Perm.VIEW_PRIVACY_INQUIRIES, "web:privacy_inquiry_list", "個人情報に関する問合せ受付票",
     "個人情報の取扱いに関する問合せ・苦情を受付票に記録し、回答と対応の経過を残します"),
    (Perm.REGISTER_DISCLOSURE, "web:disclosure_list", "開示・訂正・利用停止請求",
     "保有個人情報の開示・訂正・利用停止の請求を受け付け、期限を管理し、決定(監督者の承認)と開示文書を作成します"),
    (Perm.MANAGE_STAFF, "web:staff_inventory", "職員アカウント一覧(棚卸)",
     "アカウント・役割・権限・最終ログインの一覧。ロック解除・利用停止・利用再開もここから行います"),
    (Perm.MANAGE_STAFF, "web:staff_requests", "職員アカウントの申請の承認",
     "所属長からのアカウント発行・役割変更の申請を、決裁番号を記録して承認または却下します"),
    (Perm.REQUEST_ACCOUNTS, "web:staff_request_new", "職員アカウントの申請",
     "所属の職員のアカウント発行と役割の変更を申請します"),
    (Perm.IMPORT_FILES, "web:import_upload", "ファイル取込",
     "住基異動・所得課税情報・広域連合・口座振替・コンビニ収納・特別徴収のファイルを取り込み、結果と取込履歴を確認します"),
    (Perm.ENTER_NOTIFICATION, "web:nonresident_new", "住登外者の登録",
     "本市の住民記録にない方(住所地特例の施設入所者など)を宛名として登録し、宛名番号を付番します"),
    (Perm.ENTER_NOTIFICATION, "web:notification_list", "届出(資格取得・喪失・変更)",
     "窓口で受け付けた届出の一覧と状態。入力は宛名詳細から、確認(再鑑)は別の職員が行います"),
    (Perm.ENTER_APPLICATION, "web:application_list", "申請(給付・減免・猶予・簡易申告)",
     "窓口で受け付けた申請の一覧と状態(再鑑待ちなど)。受付は宛名詳細から、再鑑は別の職員が行います"),
    (Perm.CONFIRM_NOTIFICATION, "web:mismatch_list", "突合不一致リスト",
     "住民記録と届出の突合で見つかった不一致を確認し、処理します"),
    (Perm.ISSUE_CERTIFICATE, "web:certificate_overview", "資格確認書 一括発行・返戻",
     "一括発行の郵送記録と、返戻され窓口で保管中の資格確認書・お知らせの一覧です"),
    (Perm.ISSUE_CERTIFICATE, "web:certificate_issues", "資格確認書 発送・返戻状況",
     "発行済・郵送済・返戻などの状態別の一覧。返戻の記録(理由)と再送付を行います"),
    (Perm.VIEW_PERSON, "web:premium_estimate", "保険料試算",
     "世帯の収入から保険料を試算し、計算の過程を表示します(入力は保存されません)"),
    (Perm.VIEW_PERSON, "web:copayment_judgement", "負担割合の判定",
     "世帯の所得・課税情報から負担割合(1割・2割・3割)を判定し、決まった理由を表示します(入力は保存されません)"),
    (Perm.VIEW_PERSON, "web:high_cost_estimate", "高額療養費の試算",
     "その月の医療費と所得区分から、高額療養費として戻ってくる額の目安を表示します(入力は保存されません)"),
    (Perm.VIEW_PERSON, "web:collection_search", "収納状況・窓口収納",
     "期別の収納・未納を確認し、窓口で保険料を収納して領収証書を印刷します"),
    (Perm.VIEW_PERSON, "web:overpayment_list", "過誤納金の処理(還付・充当)",
     "過誤納金のある年度の一覧。還付・充当の決定は審査・監督者が行います"),
    (Perm.VIEW_PERSON, "web:arrears_list", "滞納者一覧・納付折衝",
     "納期限を過ぎた未納のある方の一覧。折衝記録・分納誓約・不納欠損の起案を行います"),
    (Perm.VIEW_PERSON, "web:pledge_review", "分納誓約の履行確認",
     "納付予定日を過ぎた分納誓約の納付状況を確認し、不履行・完了を記録します(毎月)"),
    (Perm.DECIDE_COLLECTION, "web:write_off_worklist", "不納欠損の決裁",
     "起案された不納欠損を承認または却下します(起案者本人は決裁できません)"),
    (Perm.VIEW_PERSON, "web:pension_worklist", "特別徴収の未徴収",
     "年金から天引きできなかった期の一覧。普通徴収への切替を済ませたら処理済にします"),
    (Perm.VIEW_PERSON, "web:bank_search", "口座振替・還付口座",
     "口座振替依頼書による引落口座と還付金振込口座の登録・終了、振替不能の履歴を表示します"),
    (Perm.VIEW_PERSON, "web:failed_debit_worklist", "振替不能(納付書未発行)",
     "口座振替ができなかった期の一覧。納付書を発行すると未納の期を納付書で納められます"),
    (Perm.VIEW_PERSON, "web:store_worklist", "コンビニ収納 要確認一覧",
     "二重納付・該当納付書なし・金額不一致・確報なし・取消不可などの一覧。対応して処理済にします"),
    (Perm.VIEW_PERSON, "web:missed_reminders", "督促漏れ",
     "納期限後20日を過ぎて督促状を出していない未納の一覧。督促状の発行は審査・監督者が行います"),
)


@staff_view(permission=None, business_function=None, methods=("GET",))
def menu_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    assert user is not None
    items = [(url, title, text) for perm, url, title, text in MENU if user.has_kouki_perm(perm)]
    return render(request, "web/menu.html", {"items": items})
