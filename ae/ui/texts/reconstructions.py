"""Texts of the reconstructions page: the article's figure, errors, the worst per digit."""

TEXTS = {
    "reconstructions.title": ("Reconstructions: how good are the copies?",
                              "重建：复制品有多像原作？"),
    "reconstructions.intro": (
        "N.Coder pins every test image to a point on the wall and throws the image away; "
        "D.Coder repaints it from that point alone. Below are ten random test images (the model "
        "never trained on them), their marks (rounded to one decimal, as in the article, "
        "when the wall spans a few units; finer on a smaller wall) and the repaintings, as in "
        "the article's figure. The number under each repainting is its error: the mean "
        "squared difference per pixel, the loss the brothers were trained to make small.",
        "N.Coder 把每张测试图像钉到墙上的一个点，然后把图像扔掉；D.Coder 只凭这个点把它重新画出来。"
        "下面是 10 张随机的测试图像（模型训练时从没见过它们）、它们在墙上的标记"
        "（墙有几个单位宽时像文章一样保留一位小数，墙更小时保留更多位）以及重画的结果，和文章里的图一样。每张重画图下面的数字是它的误差：每个像素差值平方的平均，"
        "也就是兄弟俩在训练中努力减小的损失。"),
    "reconstructions.article.h": ("Ten random test images, their marks, their repaintings",
                                  "10 张随机测试图像、它们的标记和重画结果"),
    "reconstructions.resample": ("Resample", "重新抽样"),
    "reconstructions.seed": ("Random seed {seed}: it is in the page's address, so a shared link "
                             "shows the same ten images.",
                             "随机种子 {seed}：它保存在网页地址里，分享链接就能看到同样的 10 张图"
                             "。"),
    "reconstructions.fig.title": ("Originals, their marks on the wall, the repaintings",
                                  "原图、它们在墙上的标记、重画的图"),
    "reconstructions.fig.original": ("original", "原图"),
    "reconstructions.fig.code": ("mark", "标记"),
    "reconstructions.fig.reconstruction": ("repainted", "重画"),
    "reconstructions.fig.error": ("error (MSE)", "误差（MSE）"),
    "reconstructions.fig.hover": ("test image {index} · digit {label}<br>mark {code}<br>"
                                  "MSE {mse:.4f}",
                                  "测试图像 {index} · 数字 {label}<br>标记 {code}<br>"
                                  "MSE {mse:.4f}"),
    "reconstructions.these": ("Mean error of these ten: **{mean:.4f}** · mean over all "
                              "{n:,} test images: **{all:.4f}**.",
                              "这 10 张的平均误差：**{mean:.4f}** · 全部 {n:,} 张测试图像的平均误差"
                              "："
                              "**{all:.4f}**。"),
    "reconstructions.numbers": ("The numbers behind the figure", "图背后的数字"),
    "reconstructions.col.index": ("test image", "测试图像编号"),
    "reconstructions.col.digit": ("digit", "数字"),
    "reconstructions.col.code": ("mark on the wall", "墙上的标记"),
    "reconstructions.col.mse": ("error (MSE)", "误差（MSE）"),
    "reconstructions.accept.q": ("Which repaintings would you accept as the same digit? "
                                 "Click them (left to right).",
                                 "你认为哪些重画的图还能算是同一个数字？点选它们（从左到右编号）"
                                 "。"),
    "reconstructions.accept.n": ("You accepted **{k} of {n}**. In the article, only **4 of "
                                 "10** looked acceptable.",
                                 "你接受了 **{n} 张中的 {k} 张**。在文章里，10 张中只有 **4 张**看"
                                 "起来"
                                 "还过得去。"),
    "reconstructions.article.book": (
        "This model follows the article's recipe (the first 1,000 training images, 200 "
        "epochs), so your count should land near the article's.",
        "这个模型用的是文章里的配方（前 1,000 张训练图，训练 200 轮），所以你数出来的结果应该和文"
        "章接近。"),
    "reconstructions.article.full": (
        "This model learned from all 60,000 training images, sixty times what the article's "
        "saw: compare your count and the mean error with the book-recipe model in the sidebar. "
        "More data sharpens the copies, but the two numbers on the wall stay a bottleneck.",
        "这个模型学习了全部 60,000 张训练图，是文章里的 60 倍：在侧边栏切换到“书中配方”模型，比较你"
        "的"
        "计数和平均误差。更多的数据让复制品更清晰，但墙上只有两个数，这个瓶颈依然存在。"),
    "reconstructions.article.untrained": (
        "This model has random weights: it has not learned anything yet, so expect no "
        "acceptable copy at all. Train one on the Training page, or pick a shipped model.",
        "这个模型的权重是随机的，还什么都没学到，所以不会有一张像样的复制品。请到“训练”页训练一个，"
        "或选择一个现成的模型。"),
    "reconstructions.article.trained": (
        "This model was trained here: compare your count and its mean error with the "
        "article's 4 of 10 and with the shipped models in the sidebar.",
        "这个模型是在这里训练的：把你的计数和它的平均误差与文章里的“10 张中 4 张”以及侧边栏中的"
        "现成模型比较一下。"),
    "reconstructions.article.upload": (
        "This model was uploaded: compare your count and its mean error with the article's 4 "
        "of 10 and with the shipped models in the sidebar.",
        "这个模型是上传的：把你的计数和它的平均误差与文章里的“10 张中 4 张”以及侧边栏中的现成模型"
        "比较一下。"),
    "reconstructions.article.vae_book": (
        "This variational autoencoder follows the article's recipe (the first 1,000 training "
        "images, 200 epochs), like the book-recipe autoencoder: compare your count and the "
        "mean error with that model in the sidebar.",
        "这个变分自编码器用的是文章里的配方（前 1,000 张训练图，训练 200 轮），和“书中配方”自编码器"
        "一样：在侧边栏切换到那个模型，比较你的计数和平均误差。"),
    "reconstructions.article.vae_full": (
        "This variational autoencoder learned from all 60,000 training images, like the "
        "full-data autoencoder: compare your count and the mean error with that model in the "
        "sidebar.",
        "这个变分自编码器学习了全部 60,000 张训练图，和“全部数据”自编码器一样：在侧边栏切换到那个"
        "模型，比较你的计数和平均误差。"),
    "reconstructions.vae": (
        "This is a variational autoencoder: N.Coder pins a small fuzzy patch for each image, and "
        "D.Coder repaints here from its centre, mu (no random draw), so the same image always "
        "gives the same copy. Its loss also fines patches far from the centre of the wall, so its "
        "errors may be somewhat larger than an autoencoder's.",
        "这是一个变分自编码器：N.Coder 为每张图钉下一小块模糊的区域，D.Coder 在这里从区域的中心 mu "
        "重画（不做随机抽样），所以同一张图总是得到同样的复制品。它的损失还会惩罚离墙中心太远的区域，"
        "所以误差可能比自编码器的稍大一些。"),
    "reconstructions.computing": ("Repainting all {n:,} test images once (kept for later)…",
                                  "正在把全部 {n:,} 张测试图像重画一遍（结果会保存下来）…"),
    "reconstructions.worst.h": ("The worst repainting of each digit", "每个数字中重画得最差的一张"),
    "reconstructions.worst.intro": (
        "Of all {n:,} test images, the one of each digit that D.Coder repaints worst. They are "
        "often unusual handwriting: a rare way of writing a digit gets no place of its own on "
        "the wall, so it is pinned near the common way and repainted like it.",
        "在全部 {n:,} 张测试图像中，每个数字里 D.Coder 重画得最差的那一张。它们通常是不寻常的笔迹："
        "少见的写法在墙上没有自己的位置，只能被钉在常见写法的附近，于是被画成了常见写法的样子。"),
    "reconstructions.worst.title": ("The worst of each digit", "每个数字中最差的一张"),
    "reconstructions.mean": ("Mean test error (MSE per image)", "测试集平均误差（每张图的 MSE）"),
    "reconstructions.bars.title": ("Mean error per digit", "每个数字的平均误差"),
    "reconstructions.bars.x": ("digit", "数字"),
    "reconstructions.bars.y": ("mean squared error", "均方误差"),
    "reconstructions.bars.mean": ("all digits: {mean:.4f}", "全部数字：{mean:.4f}"),
    "reconstructions.blurry.h": ("Why some come back blurry", "为什么有些图变模糊了"),
    "reconstructions.blurry": (
        "A 28 x 28 image has 784 pixel values, but its mark on the wall holds only {z} "
        "number(s), so the details that tell one handwritten 4 from another (slant, stroke "
        "width, a small hook) mostly cannot be written down. When D.Coder cannot know which "
        "of many similar images a mark stands for, the squared-error loss rewards painting "
        "their average, and an average of many different strokes looks blurred.",
        "一张 28 x 28 的图像有 784 个像素值，而它在墙上的标记只有 {z} 个数，所以区分两个手写 4 的细"
        "节"
        "（倾斜、笔画粗细、一个小钩）大多记不下来。当 D.Coder 无法知道一个标记代表的是许多相似图像"
        "中的"
        "哪一张时，平方误差损失会鼓励他画出这些图像的平均，而许多不同笔画的平均看起来就是模糊的。"),
}
