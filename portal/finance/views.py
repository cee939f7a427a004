"""Pages of the finance capability: enterprise requests and offers, the bank's products, feed and tokens,
and the officials' bank scorecards. Thin: parse, check permission twice, call one service, commit."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.actions import commit_or_refuse, field_error
from portal.auth import role_required
from portal.extensions import db
from portal.finance import services
from portal.finance.forms import DeclineForm, DisbursementForm, OfferForm, ProductForm, RequestForm, TokenForm
from portal.finance.models import BankApiToken, FinancingOffer, FinancingRequest, LoanProduct, RequestStatus
from portal.models import Bank, Role
from portal.services import ServiceError
from portal.timeutil import today, utcnow

bp = Blueprint("finance", __name__, url_prefix="/finance", template_folder="templates")


def _own_request(request_id: int) -> FinancingRequest:
    found = db.get_or_404(FinancingRequest, request_id)
    if not found.can_view(current_user):
        abort(404)  # another enterprise's request: its existence is private
    return found


def _bank_route(request_id: int):
    """The current bank user's route of the request: 404 if never routed here, 403 once it may not even read it
    (its own declined or withdrawn answers stay readable; the services refuse acting on them)."""
    route = services.bank_route(request_id, current_user.bank_id or 0)
    if route is None:
        abort(404)
    problem = route.read_problem(current_user, utcnow())
    if problem:
        abort(403, problem)
    return route


# ---------------------------------------------------------------- enterprise


@bp.route("/requests")
@role_required(Role.ENTERPRISE)
def requests():
    """The enterprise's financing requests."""
    return render_template(
        "finance/requests.html", rows=services.enterprise_requests(current_user.enterprise_id or 0)
    )


@bp.route("/requests/new", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def request_new():
    """Post a financing request and grant consent; it is routed at once."""
    form = RequestForm()
    form.consent_bank_ids.choices = [
        (b.id, b.name) for b in db.session.scalars(select(Bank).order_by(Bank.id))
    ]
    if request.method == "GET":
        form.consent_until.data = today() + timedelta(days=90)
    if form.validate_on_submit():
        created = commit_or_refuse(
            lambda: services.create_request(
                actor=current_user,
                amount_wan=form.amount_wan.data,
                term_months=form.term_months.data,
                purpose=form.purpose.data,
                collateral=form.collateral.data,
                max_rate=form.max_rate.data,
                consent_bank_ids=form.consent_bank_ids.data if form.consent_scope.data == "chosen" else None,
                consent_groups=form.consent_groups.data,
                consent_until=form.consent_until.data,
            ),
            form=form,
        )
        if created is not None:
            routed = len(created.routes)
            flash(
                f"融资需求已发布，已推送给 {routed} 家银行。"
                if routed
                else "融资需求已发布，暂无匹配的银行产品。",
                "success" if routed else "warning",
            )
            return redirect(url_for("finance.request_detail", request_id=created.id))
    return render_template("finance/request_new.html", form=form), 400 if request.method == "POST" else 200


@bp.route("/requests/<id:request_id>")
@role_required(Role.ENTERPRISE)
def request_detail(request_id: int):
    """The request: offers side by side with the net rate after subsidy, the banks it went to, the consent."""
    found = _own_request(request_id)
    rows, subsidy = services.compare_offers(found)
    banks = {b.id: b for b in db.session.scalars(select(Bank))}
    return render_template(
        "finance/request_detail.html",
        req=found,
        rows=rows,
        subsidy=subsidy,
        banks=banks,
        open=RequestStatus.OPEN,
    )


@bp.route("/requests/<id:request_id>/withdraw", methods=["POST"])
@role_required(Role.ENTERPRISE)
def request_withdraw(request_id: int):
    """Withdraw an open request."""
    found = _own_request(request_id)
    commit_or_refuse(
        lambda: services.withdraw_request(found, actor=current_user), "融资需求已撤回，各银行已无法查看。"
    )
    return redirect(url_for("finance.request_detail", request_id=request_id))


@bp.route("/requests/<id:request_id>/revoke", methods=["POST"])
@role_required(Role.ENTERPRISE)
def request_revoke(request_id: int):
    """Revoke one bank's consent (bank_id in the form) or everyone's."""
    found = _own_request(request_id)
    raw = request.form.get("bank_id", "")
    if raw and not raw.isdigit():
        abort(400, "银行编号无效。")
    commit_or_refuse(
        lambda: services.revoke_consent(found, actor=current_user, bank_id=int(raw) if raw else None),
        "授权已撤销，相关银行即刻无法查看企业数据。",
    )
    return redirect(url_for("finance.request_detail", request_id=request_id))


@bp.route("/offers/<id:offer_id>/accept", methods=["POST"])
@role_required(Role.ENTERPRISE)
def offer_accept(offer_id: int):
    """Accept one offer; the others close."""
    offer = db.get_or_404(FinancingOffer, offer_id)
    found = _own_request(offer.request_id)
    commit_or_refuse(
        lambda: services.accept_offer(offer, actor=current_user), "已接受该报价，其余报价已自动关闭。"
    )
    return redirect(url_for("finance.request_detail", request_id=found.id))


@bp.route("/requests/<id:request_id>/undo-accept", methods=["POST"])
@role_required(Role.ENTERPRISE)
def request_undo_accept(request_id: int):
    """Undo the acceptance (before the payout is recorded); the request is open again."""
    found = _own_request(request_id)
    commit_or_refuse(
        lambda: services.undo_acceptance(found, actor=current_user),
        "已撤销接受，需求重新进入撮合：该行报价恢复有效，仍有效的其他报价已重新开放，银行已收到通知。",
    )
    return redirect(url_for("finance.request_detail", request_id=request_id))


@bp.route("/requests/<id:request_id>/views")
@role_required(Role.ENTERPRISE)
def request_views(request_id: int):
    """Who at which bank looked at the enterprise's data, what, and when."""
    found = _own_request(request_id)
    return render_template("finance/request_views.html", req=found, views=services.view_log(found))


# ---------------------------------------------------------------- bank: products


@bp.route("/bank/products")
@role_required(Role.BANK)
def products():
    """The bank's loan products."""
    return render_template(
        "finance/products.html", products=services.bank_products(current_user.bank_id or 0)
    )


@bp.route("/bank/products/new", methods=["GET", "POST"])
@bp.route("/bank/products/<id:product_id>/edit", methods=["GET", "POST"])
@role_required(Role.BANK)
def product_edit(product_id: int | None = None):
    """Create or change one of the bank's products."""
    product = db.get_or_404(LoanProduct, product_id) if product_id else None
    if product is not None and not product.can_manage(current_user):
        abort(404)
    form = ProductForm(obj=product)
    if request.method == "GET":
        form.conditions.data = ""
        form.fill_rows(product.conditions if product is not None else None)
    conditions_data = form.conditions_data() if form.validate_on_submit() else None
    if conditions_data is not None:
        saved = commit_or_refuse(
            lambda: services.save_product(
                product,
                actor=current_user,
                name=form.name.data,
                kind=form.kind.data,
                amount_min_wan=form.amount_min_wan.data,
                amount_max_wan=form.amount_max_wan.data,
                term_min_months=form.term_min_months.data,
                term_max_months=form.term_max_months.data,
                rate_min=form.rate_min.data,
                rate_max=form.rate_max.data,
                conditions_data=conditions_data,
                description=form.description.data or "",
                active=form.active.data,
            ),
            "产品已保存。",
            form=form,
        )
        if saved is not None:
            return redirect(url_for("finance.products"))
    status = 400 if request.method == "POST" else 200
    return render_template("finance/product_edit.html", form=form, product=product), status


# ---------------------------------------------------------------- bank: feed and answers


FEED_PAGE = 50  # routes per page of the bank's feed (keyset by route id)


@bp.route("/bank/feed")
@role_required(Role.BANK)
def feed():
    """Requests routed to the bank (terms and fit; profile data only on the detail page, which is logged)."""
    bank_id = current_user.bank_id or 0
    routes = services.bank_feed(bank_id, limit=FEED_PAGE, before=request.args.get("before", type=int))
    return render_template(
        "finance/feed.html",
        routes=routes,
        next_before=routes[-1].id if len(routes) == FEED_PAGE else None,
        history=services.bank_history(bank_id),
        notices=services.bank_notices(bank_id),
    )


def _render_bank_request(
    route, *, offer_form=None, decline_form=None, disbursement_form=None, failed=None, status=200
):
    view = services.view_request(route, actor=current_user, channel="web")
    db.session.commit()  # the view log is written even when the page shows form errors
    offer_form = offer_form or OfferForm(
        formdata=None,
        amount_wan=view.request.amount_wan,
        term_months=view.request.term_months,
        valid_until=today() + timedelta(days=30),
    )
    return (
        render_template(
            "finance/bank_request.html",
            view=view,
            offer_form=offer_form,
            decline_form=decline_form or DeclineForm(formdata=None),
            disbursement_form=disbursement_form or DisbursementForm(formdata=None, disbursed_on=today()),
            failed=failed,
        ),
        status,
    )


@bp.route("/bank/requests/<id:request_id>")
@role_required(Role.BANK)
def bank_request(request_id: int):
    """One routed request with the consented profile data and the fit explanation; the view is logged."""
    return _render_bank_request(_bank_route(request_id))


def _answer(request_id: int, form, call, done: str, form_name: str):
    """Validate a bank's answer form and run the service; re-render the page with errors on refusal."""
    route = _bank_route(request_id)
    if form.validate_on_submit():
        try:
            call(route, form)
        except ServiceError as exc:
            db.session.rollback()
            if not field_error(form, str(exc)):
                form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("finance.bank_request", request_id=request_id))
    return _render_bank_request(route, **{form_name: form}, failed=form, status=400)


@bp.route("/bank/requests/<id:request_id>/offer", methods=["POST"])
@role_required(Role.BANK)
def bank_offer(request_id: int):
    """Answer with an offer."""

    def call(route, form):
        services.make_offer(
            route,
            actor=current_user,
            amount_wan=form.amount_wan.data,
            rate=form.rate.data,
            term_months=form.term_months.data,
            conditions_text=form.conditions_text.data or "",
            valid_until=form.valid_until.data,
        )

    form = OfferForm()
    form.max_rate = _bank_route(request_id).request.max_rate
    return _answer(request_id, form, call, "报价已提交，企业将收到通知。", "offer_form")


@bp.route("/bank/requests/<id:request_id>/decline", methods=["POST"])
@role_required(Role.BANK)
def bank_decline(request_id: int):
    """Decline with a reason."""

    def call(route, form):
        services.decline(route, actor=current_user, reason=form.reason.data)

    return _answer(request_id, DeclineForm(), call, "已婉拒该融资需求。", "decline_form")


@bp.route("/bank/requests/<id:request_id>/disbursement", methods=["POST"])
@role_required(Role.BANK)
def bank_disbursement(request_id: int):
    """Record the payout of the accepted offer."""

    def call(route, form):
        services.record_disbursement(
            route, actor=current_user, amount_wan=form.amount_wan.data, disbursed_on=form.disbursed_on.data
        )

    return _answer(request_id, DisbursementForm(), call, "放款已登记。", "disbursement_form")


@bp.route("/bank/offers/<id:offer_id>/withdraw", methods=["POST"])
@role_required(Role.BANK)
def bank_offer_withdraw(offer_id: int):
    """Withdraw the bank's open offer."""
    offer = db.get_or_404(FinancingOffer, offer_id)
    if offer.bank_id != current_user.bank_id:
        abort(404)
    _bank_route(offer.request_id)
    commit_or_refuse(
        lambda: services.withdraw_offer(offer, actor=current_user),
        "报价已撤回。需求仍在撮合中时，可在本页重新报价。",
    )
    return redirect(url_for("finance.bank_request", request_id=offer.request_id))


# ---------------------------------------------------------------- bank: API tokens


@bp.route("/bank/tokens", methods=["GET", "POST"])
@role_required(Role.BANK)
def tokens():
    """Create (shown once) and list the bank's API tokens."""
    form = TokenForm()
    plain = None
    if form.validate_on_submit():
        # create_token returns (token, plain): only the plain text is needed, and it is shown this once.
        plain = commit_or_refuse(lambda: services.create_token(actor=current_user, name=form.name.data)[1])
    status = 400 if request.method == "POST" and plain is None else 200
    return (
        render_template(
            "finance/tokens.html",
            form=form,
            plain=plain,
            tokens=services.bank_tokens(current_user.bank_id or 0),
        ),
        status,
    )


@bp.route("/bank/tokens/<id:token_id>/revoke", methods=["POST"])
@role_required(Role.BANK)
def token_revoke(token_id: int):
    """Revoke a token at once."""
    token = db.get_or_404(BankApiToken, token_id)
    if not token.can_manage(current_user):
        abort(404)
    services.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(f"令牌 {token.prefix}… 已吊销。", "success")
    return redirect(url_for("finance.tokens"))


# ---------------------------------------------------------------- officials


@bp.route("/scorecards")
@role_required(Role.OFFICIAL, Role.ADMIN)
def scorecards():
    """Banks' response rate and time, accepted offers and amounts disbursed."""
    return render_template("finance/scorecards.html", cards=services.scorecards())
