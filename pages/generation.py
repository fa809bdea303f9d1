"""Generation: decode any point of the wall, walk in a straight line between two test digits,
what that shows about the autoencoder as a generative model, and the bridge to the VAE; with a
VAE in play, samples from N(0, I) and the book's grid over the normal's quantiles. The first
three are shown one at a time (each draws its own figures), picked by a control or the URL.
Labels are named as the data set names them (digits, or Fashion-MNIST's items of clothing)."""

import streamlit as st

from ae import analysis, fmt, plots
from ae.analysis import picking
from ae.ui import classes, header, results, state, t, url
from ae.ui import wall_sections as sections
from ae.ui.figures import show_code
from ae.ui.i18n import language
from ae.ui.kept import kept_choice

inplay, ds = header("generation")
model, z_dim, y_test = inplay.model, inplay.model.config.z_dim, ds.y_test
codes = results.test_codes(inplay, ds)  # shared with the wall and reconstruction pages
xy, axis_label = results.test_wall(inplay, ds)
view = results.wall_view(inplay, ds)
size = fmt.spread(xy)  # the wall's size: how finely positions are shown
bounds = picking.slider_bounds(xy)
wall_texts = {k: classes.tx(f"generation.wall.{k}", ds.name)
              for k in ("title", "picked", "digit", "index", "path")}
kinds = classes.names(ds.name)  # the labels' names: "0".."9", or T-shirt/top .. Ankle boot
no_bar = {"displayModeBar": False}
parts = ["point", "walk", *(["normal"] if model.config.is_vae else [])]
part = kept_choice(t("generation.part.pick"), parts, "g_part",
                   {k: classes.tx(f"generation.part.{k}", ds.name) for k in parts}, in_url=True)

if part == "point":
    # -- 1. paint from any point ---------------------------------------------------------------
    st.subheader(t("generation.point.h"))
    if z_dim > 2:
        st.info(t("generation.projected", z=z_dim))
    elif z_dim == 1:
        st.info(t("generation.one_d"))
    kx, ky = f"g_x:{inplay.key}", f"g_y:{inplay.key}"  # per model: each wall has its own ranges
    start = bounds.clamp(url.floats(url.get("g_xy"), 2) or xy[0])
    names = {2: ("x", "y"), 1: ("z", "y")}.get(z_dim, ("pca1", "pca2"))
    digits = fmt.step_decimals(bounds.step, least=2)
    slider_fmt = f"%.{digits}f"
    left, right = st.columns([2, 3])
    with left:
        # first values (from the URL) go in as value=, never into session state: see first_value
        px = st.slider(t(f"generation.slider.{names[0]}"), *bounds.x,
                       state.first_value(kx, start[0]), step=bounds.step, key=kx,
                       format=slider_fmt, help=t("generation.point.help"))
        py = 0.0 if z_dim == 1 else st.slider(t(f"generation.slider.{names[1]}"), *bounds.y,
                                              state.first_value(ky, start[1]), step=bounds.step,
                                              format=slider_fmt, key=ky)
        point = picking.at((px, py), view)
        url.write({"g_xy": f"{px:g},{py:g}"})
        image = analysis.decode(model, [point.z])[0]
        st.plotly_chart(plots.image_figure(image, cell_px=200,
                                           texts={"title": t("generation.decoded")}),
                        key="g_decoded", config=no_bar)
        st.markdown(t("generation.at", point=fmt.point(point.z, places=digits)))
        near, dist = picking.nearest_code(xy, point.xy)
        st.caption(classes.tx("generation.nearest", ds.name, index=near,
                              digit=kinds[int(y_test[near])],
                     dist=fmt.length(dist, size, extra=1)))
    with right:
        st.plotly_chart(plots.wall_figure(xy, y_test, point=point.xy, axis_label=axis_label,
                                          height=460, class_names=kinds, texts=wall_texts),
                        key="g_wall", config=no_bar)

elif part == "walk":
    # -- 2. walk from one digit to another ------------------------------------------------------
    st.subheader(classes.tx("generation.interp.h", ds.name))
    st.markdown(t("generation.interp.intro"))
    ends = url.ints(url.get("g_ab"), 4) or [0, 0, 1, 0]  # 0 and 1: far apart
    present = [d for d in range(10) if picking.count_of_digit(y_test, d)]
    picked = []
    cols = st.columns(3)
    for col, side, (d0, n0) in zip(cols, ("from", "to"), (ends[:2], ends[2:]), strict=False):
        with col:
            d = st.selectbox(classes.tx(f"generation.interp.{side}", ds.name), present,
                             key=f"g_d{side}", format_func=kinds.__getitem__,
                             index=present.index(d0) if d0 in present else 0)
            last = max(picking.count_of_digit(y_test, d) - 1, 0)
            if st.session_state.get(f"g_n{side}", 0) > last:  # another digit, with fewer images
                st.session_state[f"g_n{side}"] = last
            n = st.number_input(t("generation.interp.nth", last=last), 0, last, key=f"g_n{side}",
                                value=state.first_value(f"g_n{side}", min(max(n0, 0), last), "min"))
            picked.append((d, n, picking.nth_of_digit(y_test, d, n)))
    with cols[2]:
        k = st.slider(t("generation.interp.k"), 3, 20, key="g_k", value=state.first_value(
            "g_k", url.int_in(url.get("g_k"), 3, 20) or 10))
    (da, na, a), (db, nb, b) = picked
    url.write({"g_ab": f"{da},{na},{db},{nb}", "g_k": str(k)})
    points, images = analysis.interpolate(model, codes[a], codes[b], k)
    st.plotly_chart(plots.strip_figure(images, points, scale=size, texts={
        "title": classes.tx("generation.interp.strip", ds.name, a=a, da=kinds[da], b=b,
                            db=kinds[db])}),
        key="g_strip", config=no_bar)
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(plots.wall_figure(xy, y_test, path=view.to_picture(points),
                                          axis_label=axis_label, height=420, legend=False,
                                          class_names=kinds,
                                          texts=wall_texts | {"title": t("generation.path.title")}),
                        key="g_path", config=no_bar)
    with right:
        st.subheader(t("generation.meaning.h"))
        st.markdown(classes.tx("generation.meaning", ds.name))
    show_code(analysis.interpolate)

else:
    # -- 3. a VAE sampled as the book samples it: from N(0, I) ---------------------------------
    st.subheader(t("generation.normal.h"))
    n_samples, side = sections.counts(ds.name)  # the edition's: 30 and 20, or 18 and 15
    st.markdown(t("generation.normal.text", n=n_samples, z=z_dim))
    st.plotly_chart(results.figure(inplay, ds, "normal_samples",
                                   lambda: sections.normal_samples(inplay), language()),
                    key="g_normal", config=no_bar)
    if z_dim == 2:
        st.caption(t("generation.normal.grid", n=side))
        st.plotly_chart(results.figure(inplay, ds, "normal_grid",
                                       lambda: sections.normal_manifold(inplay), language()),
                        key="g_normal_grid", config=no_bar)
    show_code(analysis.sample_normal, analysis.normal_grid_points)

# -- 4. the bridge to the variational autoencoder -------------------------------------------
st.subheader(t("generation.vae.h"))
st.markdown(classes.tx("generation.vae.inplay" if model.config.is_vae else "generation.vae",
                       ds.name))
